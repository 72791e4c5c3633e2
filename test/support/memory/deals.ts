import { ConflictError } from '#domain/errors.ts';
import type { Deal, Engagement, HistoryEntry } from '#domain/model.ts';
import type { DealListQuery, DealStore, DealUpdate, DealView, Page, PageRequest } from '#domain/ports.ts';

type Favorite = { orgId: string; dealId: string; at: string };

/** Pages an already sorted array by position; the page key is the index to continue from. */
export const pageArray = <T>(all: readonly T[], page: PageRequest): Page<T> => {
  const start = typeof page.after?.index === 'number' ? page.after.index : 0;
  const items = all.slice(start, start + page.limit);
  const end = start + items.length;
  return { items, ...(end < all.length ? { next: { index: end } } : {}) };
};

const clone = <T>(value: T): T => structuredClone(value);

/** The DealStore port in memory, with the same ordering and idempotency as the DynamoDB adapter. */
export class MemoryDealStore implements DealStore {
  readonly deals = new Map<string, Deal>();
  readonly engagements = new Map<string, Engagement>();
  readonly historyEntries: HistoryEntry[] = [];
  readonly favorites = new Map<string, Map<string, Favorite>>();

  private key = (orgId: string, dealId: string) => `${orgId}/${dealId}`;

  async create({ deal, engagement, history }: { deal: Deal; engagement: Engagement; history: HistoryEntry }) {
    if (this.deals.has(this.key(deal.orgId, deal.id)) || this.engagements.has(engagement.id)) {
      throw new ConflictError('already-exists', 'The deal exists.');
    }
    this.deals.set(this.key(deal.orgId, deal.id), clone(deal));
    this.engagements.set(engagement.id, clone(engagement));
    this.historyEntries.push(clone(history));
  }

  async update({ previous, next, history }: DealUpdate) {
    const current = this.deals.get(this.key(previous.orgId, previous.id));
    if (!current || current.version !== previous.version) {
      throw new ConflictError('concurrent-update', 'The deal changed while this change was being written.');
    }
    // Like the adapter: the deal's own fields change, its participants copy is left as stored.
    this.deals.set(this.key(next.orgId, next.id), clone({ ...next, participants: current.participants }));
    this.historyEntries.push(clone(history));
    if (previous.status === next.status) return;
    const engagement = this.engagements.get(next.engagementId);
    const self = engagement?.participants[next.orgId];
    if (self) self.status = next.status;
    for (const participant of Object.values(current.participants)) {
      const deal = this.deals.get(this.key(participant.orgId, participant.dealId));
      const entry = deal?.participants[next.orgId];
      if (entry) entry.status = next.status;
    }
  }

  private view(deal: Deal, sub: string): DealView {
    return { deal: clone(deal), favorite: this.favorites.get(sub)?.has(deal.id) ?? false };
  }

  async get(orgId: string, dealId: string, viewerSub: string) {
    const deal = this.deals.get(this.key(orgId, dealId));
    return deal ? this.view(deal, viewerSub) : undefined;
  }

  async list(query: DealListQuery, viewerSub: string, page: PageRequest) {
    const matching = [...this.deals.values()]
      .filter(
        (deal) =>
          deal.orgId === query.orgId &&
          deal.direction === query.direction &&
          (query.status === undefined || deal.status === query.status),
      )
      .sort((a, b) => b.id.localeCompare(a.id));
    const result = pageArray(matching, page);
    return { ...result, items: result.items.map((deal) => this.view(deal, viewerSub)) };
  }

  async listFavorites(viewerSub: string, page: PageRequest) {
    const marks = [...(this.favorites.get(viewerSub)?.values() ?? [])].sort(
      (a, b) => b.at.localeCompare(a.at) || b.dealId.localeCompare(a.dealId),
    );
    const result = pageArray(marks, page);
    return {
      ...result,
      items: result.items.flatMap((mark) => {
        const deal = this.deals.get(this.key(mark.orgId, mark.dealId));
        return deal ? [this.view(deal, viewerSub)] : [];
      }),
    };
  }

  async setFavorite(viewerSub: string, deal: Pick<Deal, 'orgId' | 'id'>, favorite: boolean, at: string) {
    const marks = this.favorites.get(viewerSub) ?? new Map<string, Favorite>();
    this.favorites.set(viewerSub, marks);
    if (!favorite) marks.delete(deal.id);
    else if (!marks.has(deal.id)) marks.set(deal.id, { orgId: deal.orgId, dealId: deal.id, at });
  }

  async history(dealId: string, page: PageRequest) {
    const entries = this.historyEntries
      .filter((entry) => entry.dealId === dealId)
      .sort((a, b) => b.id.localeCompare(a.id));
    return pageArray(entries.map(clone), page);
  }
}
