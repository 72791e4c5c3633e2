import type { Deal, Engagement, HistoryEntry, InvitationRate, TeamMember } from '#domain/deals/model.ts';
import type {
  CallerRead,
  CallerReadRequest,
  DealCommitOutcome,
  DealListPage,
  DealListQuery,
  DealStore,
  StoredDeal,
} from '#domain/deals/ports.ts';
import type { AnswerCount, DealPlan } from '#domain/deals/rules/plan.ts';
import type { Customer } from '#domain/directory/model.ts';
import type { Membership } from '#domain/identity/model.ts';
import type { InvitationAnswer } from '#domain/insights/model.ts';
import type { AnswerSignal } from '#domain/insights/signals.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import type { DomainEvent } from '#domain/kernel/events.ts';
import type { Page, PageRequest } from '#domain/kernel/page.ts';
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

/**
 * The DealStore port in memory: storage only. `commit` checks every condition of the plan first and
 * then applies each part as the DynamoDB adapter writes it, so a refused plan changes nothing.
 */
export class MemoryDealStore implements DealStore {
  readonly deals = new Map<string, Deal>();
  /** The next-action index: when the expiry job must next look at a deal (`DealState.nextActionAt`). */
  readonly nextActions = new Map<string, string>();
  readonly engagements = new Map<string, Engagement>();
  readonly historyEntries: HistoryEntry[] = [];
  readonly favorites = new Map<string, Map<string, Favorite>>();
  readonly answers: InvitationAnswer[] = [];
  /** The answers' signals, as the plans recorded them (memory/signals.ts folds them into tallies). */
  readonly answerSignals: AnswerSignal[] = [];
  /** The responsiveness counters, as the plans counted them. */
  readonly answerCounts: AnswerCount[] = [];
  /** The outbox: every event written, in write order. */
  readonly outbox: DomainEvent[] = [];
  /** Invitation rate records by engagement and org. */
  readonly invitationRateRecords = new Map<string, InvitationRate>();
  /** Shared teams by engagement and org. */
  readonly sharedTeamRecords = new Map<string, TeamMember[]>();

  /** The other stores' items the read for a caller joins (memoryDeps wires them). */
  joins: {
    actorOf(sub: string): Actor | undefined;
    customer(id: string): Promise<Customer | undefined>;
    memberOf(orgId: string, email: string): Membership | undefined;
  } = {
    actorOf: () => undefined,
    customer: async () => undefined,
    memberOf: () => undefined,
  };

  private key = (orgId: string, dealId: string) => `${orgId}/${dealId}`;

  /** Whether every condition of the plan holds. */
  private holds(plan: DealPlan): boolean {
    const { created, engagement, engagementMove: move } = plan;
    const changes = [...(plan.changed ? [plan.changed] : []), ...(plan.others ?? [])];
    if (created.some(({ deal }) => this.deals.has(this.key(deal.orgId, deal.id)))) return false;
    if (engagement && this.engagements.has(engagement.id)) return false;
    for (const { previous } of changes) {
      const { deal } = previous;
      if (this.deals.get(this.key(deal.orgId, deal.id))?.version !== deal.version) return false;
    }
    if (move) {
      if (this.engagements.get(move.engagementId)?.version !== move.readVersion) return false;
      if (move.copies.some((copy) => !this.deals.has(this.key(copy.orgId, copy.dealId)))) return false;
    }
    // A rate record must still be as the rule read it: absent, or at the version read.
    for (const { readVersion, next } of plan.invitationRates ?? []) {
      const stored = this.invitationRateRecords.get(this.key(next.engagementId, next.orgId));
      if (stored?.version !== readVersion) return false;
    }
    // The new owner is still the active member, at the version read.
    const owner = plan.ownerCheck && this.joins.memberOf(plan.ownerCheck.orgId, plan.ownerCheck.email);
    if (plan.ownerCheck && (owner?.status !== 'active' || owner.version !== plan.ownerCheck.version))
      return false;
    return true;
  }

  async sharedTeams(engagementId: string, orgIds: readonly string[]) {
    return Object.fromEntries(
      orgIds.flatMap((orgId) => {
        const team = this.sharedTeamRecords.get(this.key(engagementId, orgId));
        return team ? [[orgId, clone(team)]] : [];
      }),
    );
  }

  async invitationRates(engagementId: string, orgIds: readonly string[]) {
    return orgIds.flatMap((orgId) => {
      const rate = this.invitationRateRecords.get(this.key(engagementId, orgId));
      return rate ? [clone(rate)] : [];
    });
  }

  async commit(plan: DealPlan): Promise<DealCommitOutcome> {
    const check = plan.authorizedBy;
    const caller = check && this.joins.actorOf(check.sub);
    if (check && (caller?.orgId !== check.orgId || caller.membershipVersion !== check.version)) {
      return 'membership-changed';
    }
    if (!this.holds(plan)) return 'conflict';
    const { created, engagement, engagementMove: move } = plan;
    const changes = [...(plan.changed ? [plan.changed] : []), ...(plan.others ?? [])];
    for (const { deal, nextActionAt } of created) {
      this.deals.set(this.key(deal.orgId, deal.id), clone(deal));
      this.index(deal, nextActionAt);
    }
    if (engagement) this.engagements.set(engagement.id, clone(engagement));
    for (const changed of changes) {
      const { deal: next, nextActionAt } = changed.next;
      const current = this.deals.get(this.key(next.orgId, next.id)) as Deal;
      // Participants and the engagement version are the engagement's: they move only with `move`.
      this.deals.set(
        this.key(next.orgId, next.id),
        clone({ ...next, participants: current.participants, engagementVersion: current.engagementVersion }),
      );
      this.index(next, nextActionAt);
    }
    if (move) {
      const stored = this.engagements.get(move.engagementId) as Engagement;
      stored.participants = { ...stored.participants, ...clone(move.entries) };
      stored.version = move.version;
      const copies = [
        ...move.copies,
        ...changes.map((changed) => ({ orgId: changed.next.deal.orgId, dealId: changed.next.deal.id })),
      ];
      for (const copy of copies) {
        const deal = this.deals.get(this.key(copy.orgId, copy.dealId)) as Deal;
        deal.participants = { ...deal.participants, ...clone(move.entries) };
        deal.engagementVersion = move.version;
      }
    }
    for (const shared of plan.teams ?? []) {
      this.sharedTeamRecords.set(this.key(shared.engagementId, shared.orgId), clone(shared.team));
    }
    this.historyEntries.push(...clone(plan.history));
    for (const { answer, count, signal } of plan.answers) {
      this.answers.push(clone(answer));
      this.answerCounts.push(clone(count));
      this.answerSignals.push(clone(signal));
    }
    this.outbox.push(...clone(plan.events));
    for (const { next } of plan.invitationRates ?? []) {
      this.invitationRateRecords.set(this.key(next.engagementId, next.orgId), clone(next));
    }
    return 'committed';
  }

  private index(deal: Deal, nextActionAt: string | undefined): void {
    const key = this.key(deal.orgId, deal.id);
    if (nextActionAt === undefined) this.nextActions.delete(key);
    else this.nextActions.set(key, nextActionAt);
  }

  /** Paged by sort key, like the index: invitations settled during a run do not shift later pages. */
  async dueInvitations(before: string, page: PageRequest) {
    const due = [...this.nextActions.entries()]
      .map(([key, actionAt]) => {
        const deal = this.deals.get(key) as Deal;
        return [`${actionAt}#${deal.orgId}#${deal.id}`, deal] as const;
      })
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

  async readForCaller(sub: string, request: CallerReadRequest): Promise<CallerRead> {
    const actor = this.joins.actorOf(sub);
    const deal = [...this.deals.values()].find((candidate) => candidate.id === request.dealId);
    const customer =
      request.customerId !== undefined ? await this.joins.customer(request.customerId) : undefined;
    return {
      ...(actor ? { actor } : {}),
      ...(deal ? { deal: this.view(deal, sub) } : {}),
      ...(customer ? { customer } : {}),
    };
  }

  /** In each source's index order; `keep` filters before paging (the store reads no bounded budget). */
  /** What the read of a claimed caller's page found of its binding (`readCaller`). */
  private confirmation(viewerSub: string, readCaller: boolean | undefined): { caller?: Actor } {
    if (!readCaller) return {};
    const caller = this.joins.actorOf(viewerSub);
    return caller ? { caller } : {};
  }

  async list(query: DealListQuery, viewerSub: string, page: PageRequest): Promise<DealListPage> {
    const { source, keep = () => true } = query;
    const confirmation = this.confirmation(viewerSub, query.readCaller);
    const own = [...this.deals.values()].filter((deal) => deal.orgId === query.orgId);
    if (source.by === 'crmId') {
      const [newest] = own
        .filter((deal) => deal.crmId === source.crmId)
        .sort((a, b) => b.id.localeCompare(a.id));
      return { items: newest && keep(newest) ? [this.view(newest, viewerSub)] : [], ...confirmation };
    }
    if (source.by === 'updated') {
      // Keyed like the index: a deal changed while paging moves behind the cursor's key, never before it.
      const changed = own
        .map((deal) => [`${deal.updatedAt}#${deal.id}`, deal] as const)
        .filter(([, deal]) => deal.updatedAt >= source.since && deal.updatedAt <= source.until && keep(deal))
        .sort(([a], [b]) => a.localeCompare(b));
      const result = pageBySortKey(changed, page);
      return { ...result, items: result.items.map((deal) => this.view(deal, viewerSub)), ...confirmation };
    }
    const matching = own
      .filter(
        (deal) =>
          deal.direction === source.direction &&
          (source.by === 'owner'
            ? (deal.owner?.email.toLowerCase() ?? null) === source.owner
            : source.status === undefined || deal.status === source.status) &&
          keep(deal),
      )
      .sort((a, b) => b.id.localeCompare(a.id));
    const result = pageArray(matching, page);
    return { ...result, items: result.items.map((deal) => this.view(deal, viewerSub)), ...confirmation };
  }

  async listFavorites(
    viewerSub: string,
    page: PageRequest,
    { keep = () => true, readCaller }: Pick<DealListQuery, 'keep' | 'readCaller'> = {},
  ): Promise<DealListPage> {
    const marks = [...(this.favorites.get(viewerSub)?.values() ?? [])]
      .filter((mark) => {
        const deal = this.deals.get(this.key(mark.orgId, mark.dealId));
        return deal !== undefined && keep(deal);
      })
      .sort((a, b) => b.at.localeCompare(a.at) || b.dealId.localeCompare(a.dealId));
    const result = pageArray(marks, page);
    return {
      ...result,
      items: result.items.flatMap((mark) => {
        const deal = this.deals.get(this.key(mark.orgId, mark.dealId));
        return deal ? [this.view(deal, viewerSub)] : [];
      }),
      ...this.confirmation(viewerSub, readCaller),
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
