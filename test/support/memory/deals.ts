import { selfParticipantChanged } from '#domain/deals/rules/participants.ts';
import { nextInvitationAction } from '#domain/deals/use-cases/expire-invitations.ts';
import { ConflictError } from '#domain/errors.ts';
import type { DomainEvent } from '#domain/events.ts';
import type { Deal, Engagement, HistoryEntry, Participant } from '#domain/model.ts';
import type {
  DealListQuery,
  DealStore,
  DealUpdate,
  InvitationAnswer,
  InvitationWrite,
  Page,
  PageRequest,
  StoredDeal,
} from '#domain/ports.ts';
import { pageBySortKey } from './orgs.ts';

type Favorite = { orgId: string; dealId: string; at: string };

/** Pages an already sorted array by position; the page key is the index to continue from. */
export const pageArray = <T>(all: readonly T[], page: PageRequest): Page<T> => {
  const start = typeof page.after?.index === 'number' ? page.after.index : 0;
  const items = all.slice(start, start + page.limit);
  const end = start + items.length;
  return { items, ...(end < all.length ? { next: { index: end } } : {}) };
};

const clone = <T>(value: T): T => structuredClone(value);

const raced = () =>
  new ConflictError('concurrent-update', 'The deal changed while this change was being written.');

/**
 * The DealStore port in memory, with the DynamoDB adapter's semantics: version-conditioned updates,
 * the engagement serialized by its version, every deal's participants copy kept in step, all or nothing.
 */
export class MemoryDealStore implements DealStore {
  readonly deals = new Map<string, Deal>();
  readonly engagements = new Map<string, Engagement>();
  readonly historyEntries: HistoryEntry[] = [];
  readonly favorites = new Map<string, Map<string, Favorite>>();
  readonly answers: InvitationAnswer[] = [];
  /** The outbox: every event written, in write order. */
  readonly outbox: DomainEvent[] = [];

  private key = (orgId: string, dealId: string) => `${orgId}/${dealId}`;

  async create({
    deal,
    engagement,
    history,
    invitees = [],
    events = [],
  }: {
    deal: Deal;
    engagement: Engagement;
    history: HistoryEntry;
    invitees?: { deal: Deal; history: HistoryEntry }[];
    events?: DomainEvent[];
  }) {
    const all = [deal, ...invitees.map((invitee) => invitee.deal)];
    if (all.some((d) => this.deals.has(this.key(d.orgId, d.id))) || this.engagements.has(engagement.id)) {
      throw new ConflictError('already-exists', 'The deal exists.');
    }
    for (const d of all) this.deals.set(this.key(d.orgId, d.id), clone(d));
    this.engagements.set(engagement.id, clone(engagement));
    this.historyEntries.push(clone(history), ...invitees.map((invitee) => clone(invitee.history)));
    this.outbox.push(...clone(events));
  }

  /** Checks every condition first, then applies: a refused write changes nothing. */
  private checkVersions(previous: Deal, engagementChanges: boolean): void {
    const current = this.deals.get(this.key(previous.orgId, previous.id));
    if (!current || current.version !== previous.version) throw raced();
    if (
      engagementChanges &&
      this.engagements.get(previous.engagementId)?.version !== previous.engagementVersion
    ) {
      throw raced();
    }
  }

  /** Applies an engagement change to the engagement and to every deal's copy of its participants. */
  private moveEngagement(engagementId: string, apply: (participants: Record<string, Participant>) => void) {
    const engagement = this.engagements.get(engagementId);
    if (!engagement) throw raced();
    apply(engagement.participants);
    engagement.version += 1;
    for (const participant of Object.values(engagement.participants)) {
      const deal = this.deals.get(this.key(participant.orgId, participant.dealId));
      if (!deal) continue;
      deal.participants = clone(engagement.participants);
      deal.engagementVersion = engagement.version;
    }
  }

  private writeOwnFields(next: Deal): void {
    const current = this.deals.get(this.key(next.orgId, next.id));
    if (!current) throw raced();
    this.deals.set(
      this.key(next.orgId, next.id),
      clone({ ...next, participants: current.participants, engagementVersion: current.engagementVersion }),
    );
  }

  async update({ previous, next, history, answer, events = [] }: DealUpdate) {
    const engagementChanges = selfParticipantChanged(previous, next);
    this.checkVersions(previous, engagementChanges);
    this.writeOwnFields(next);
    const self = next.participants[next.orgId];
    if (engagementChanges && self) {
      this.moveEngagement(next.engagementId, (participants) => {
        participants[next.orgId] = clone(self);
      });
    }
    this.historyEntries.push(clone(history));
    if (answer) this.answers.push(clone(answer));
    this.outbox.push(...clone(events));
  }

  async invite({ inviter, invitees }: InvitationWrite) {
    this.checkVersions(inviter.previous, true);
    if (invitees.some(({ deal }) => this.deals.has(this.key(deal.orgId, deal.id)))) throw raced();
    this.writeOwnFields(inviter.next);
    for (const { deal } of invitees) this.deals.set(this.key(deal.orgId, deal.id), clone(deal));
    this.moveEngagement(inviter.next.engagementId, (participants) => {
      Object.assign(participants, clone(inviter.next.participants));
    });
    this.historyEntries.push(clone(inviter.history), ...invitees.map(({ history }) => clone(history)));
    this.outbox.push(...clone(inviter.events ?? []));
  }

  /** Paged by sort key, like the index: invitations settled during a run do not shift later pages. */
  async dueInvitations(before: string, page: PageRequest) {
    const due = [...this.deals.values()]
      .flatMap((deal) =>
        deal.status === 'received' && deal.invitation
          ? [[`${nextInvitationAction(deal.invitation)}#${deal.orgId}#${deal.id}`, deal] as const]
          : [],
      )
      .filter(([key]) => key.slice(0, key.indexOf('#')) <= before)
      .sort(([a], [b]) => a.localeCompare(b));
    return pageBySortKey(due, page);
  }

  private view(deal: Deal, sub: string): StoredDeal {
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

  async recentDeals(orgId: string, limit: number) {
    return [...this.deals.values()]
      .filter((deal) => deal.orgId === orgId)
      .sort((a, b) => b.id.localeCompare(a.id))
      .slice(0, limit)
      .map(clone);
  }

  async history(dealId: string, page: PageRequest) {
    const entries = this.historyEntries
      .filter((entry) => entry.dealId === dealId)
      .sort((a, b) => b.id.localeCompare(a.id));
    return pageArray(entries.map(clone), page);
  }
}
