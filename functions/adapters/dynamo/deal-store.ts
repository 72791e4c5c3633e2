import { DeleteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Deal,
  DIRECTIONS,
  type Engagement,
  type HistoryEntry,
  type InvitationRate,
  type SharedTeam,
  type TeamMember,
} from '#domain/deals/model.ts';
import type {
  CallerRead,
  CallerReadRequest,
  DealCommitOutcome,
  DealListPage,
  DealListQuery,
  DealStore,
  StoredDeal,
} from '#domain/deals/ports.ts';
import { type InvitationRateWrite, rateExpiresAt } from '#domain/deals/rules/invitation-limits.ts';
import type {
  DealPlan,
  DealState,
  EngagementMove,
  MembershipCheck,
  OwnerCheck,
} from '#domain/deals/rules/plan.ts';
import type { InvitationAnswer } from '#domain/insights/model.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import type { Page, PageKey, PageRequest } from '#domain/kernel/page.ts';
import { isActive, toCustomer } from './customer-store.ts';
import { cancellationCodes, conditionFailed, isConditionFailure, isLostRace } from './errors.ts';
import {
  batchGet,
  fromItem,
  type IndexQuery,
  type Item,
  type Key,
  notExists,
  pageKeyAt,
  queryDueShardsPage,
  queryIndex,
  queryPartition,
  updateExpression,
} from './items.ts';
import {
  answerKeys,
  customerKeys,
  dealKeys,
  ENTITY,
  engagementKeys,
  favoriteKeys,
  historyKeys,
  membershipKeys,
} from './keys.ts';
import { type BindingItem, toActor } from './org-store.ts';
import { outboxItem } from './outbox.ts';
import { countAnswer } from './responsiveness-store.ts';
import { countSignal } from './signal-store.ts';
import { epochSeconds, type IndexName, TTL_ATTRIBUTE } from './table.ts';
import type { TableRef } from './table-ref.ts';

/** A deal item as the caller's stored deal, with whether the caller's mark was found beside it. */
const storedDeal = (deal: Item, favorite: Item | undefined): StoredDeal => ({
  deal: fromItem<Deal>(deal),
  favorite: favorite !== undefined,
});

type FavoriteItem = { orgId: string; dealId: string; favoritedAt: string };
type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** The index keys a deal's state calls for; a key it lacks takes the item out of that index. */
const dealIndexKeys = ({ deal, nextActionAt }: DealState): Record<string, string> => ({
  ...dealKeys.byDirection(deal.orgId, deal.direction, deal.id),
  ...dealKeys.byDirectionAndStatus(deal.orgId, deal.direction, deal.status, deal.id),
  ...(nextActionAt !== undefined ? dealKeys.byNextInvitationAction(nextActionAt, deal.orgId, deal.id) : {}),
  ...dealKeys.byLastChange(deal.orgId, deal.updatedAt, deal.id),
  ...(deal.crmId !== undefined ? dealKeys.byCrmId(deal.orgId, deal.crmId, deal.id) : {}),
  ...ownerKeys(deal),
});

/**
 * Every deal is in gsi3, under its owner or in the org's unowned partition. Deals stored before
 * owners existed carry gsi3 keys of the engagement they belong to (read by nothing), so each update
 * writes these keys whether or not the owner changed, moving such a deal into place on its first
 * write (docs/decisions/0165-gsi3-serves-deal-owners.md).
 */
const ownerKeys = (deal: Deal): Record<string, string> =>
  dealKeys.byOwner(deal.orgId, deal.owner?.email, deal.direction, deal.id);

/**
 * Index entries a page with a `keep` filter reads at most (one Query): its cost stays bounded however
 * few entries the filter accepts, and the page continues after the last entry it looked at.
 */
export const FILTERED_PAGE_BUDGET = 200;

/**
 * The entries of one Query page that `keep` accepts, at most `limit`. Stopping before the end of
 * what was read continues right after the last entry returned, so nothing read but not returned is
 * lost; otherwise the page continues where the Query stopped.
 */
const keptPage = <T>(
  read: readonly { entry: Item; value: T | undefined }[],
  queryNext: PageKey | undefined,
  limit: number,
  accept: (value: T) => boolean,
  index: IndexName,
): { items: T[]; next?: PageKey } => {
  const items: T[] = [];
  for (const [i, { entry, value }] of read.entries()) {
    if (value === undefined || !accept(value)) continue;
    items.push(value);
    if (items.length === limit) {
      const more = i < read.length - 1 || queryNext !== undefined;
      return { items, ...(more ? { next: pageKeyAt(entry, index) } : {}) };
    }
  }
  return { items, ...(queryNext ? { next: queryNext } : {}) };
};

export const dealItem = (state: DealState) => ({
  ...dealKeys.item(state.deal.id),
  ...dealIndexKeys(state),
  type: ENTITY.deal,
  ...state.deal,
});

export const engagementItem = (engagement: Engagement) => ({
  ...engagementKeys.item(engagement.id),
  type: ENTITY.engagement,
  ...engagement,
});

export const historyItem = (entry: HistoryEntry) => ({
  ...historyKeys.item(entry.dealId, entry.id),
  type: ENTITY.history,
  ...entry,
});

/** Replaces the org's shared team whole; the plan's deal write carries the conditions. */
const sharedTeamItem = (shared: SharedTeam) => ({
  ...engagementKeys.sharedTeam(shared.engagementId, shared.orgId),
  type: ENTITY.sharedTeam,
  version: 1,
  ...shared,
});

const answerItem = (answer: InvitationAnswer) => ({
  ...answerKeys.item(answer.orgId, answer.answeredAt, answer.dealId),
  type: ENTITY.answer,
  version: 1,
  ...answer,
});

/** Expires a day after its latest invitation: the rule ignores older invitations anyway. */
const invitationRateItem = (rate: InvitationRate) => {
  const expiresAt = rateExpiresAt(rate);
  return {
    ...engagementKeys.invitationRate(rate.engagementId, rate.orgId),
    type: ENTITY.invitationRate,
    ...rate,
    ...(expiresAt ? { [TTL_ATTRIBUTE]: epochSeconds(expiresAt) } : {}),
  };
};

/** Fields the deal's own update writes; participants and the engagement version move with the engagement. */
const FIXED_DEAL_FIELDS = new Set<string>([
  'id',
  'orgId',
  'engagementId',
  'direction',
  'participants',
  'engagementVersion',
  'createdAt',
  'createdBy',
  'version',
]);

const ownFields = (state: DealState): Record<string, unknown> => ({
  ...Object.fromEntries(Object.entries(state.deal).filter(([name]) => !FIXED_DEAL_FIELDS.has(name))),
  ...dealIndexKeys(state),
});

const nestedSets = (move: EngagementMove): [string[], unknown][] =>
  Object.entries(move.entries).map(([orgId, participant]) => [['participants', orgId], participant]);

export class DynamoDealStore implements DealStore {
  constructor(private readonly table: TableRef) {}

  private put(item: Record<string, unknown>): TransactItem {
    return {
      Put: { TableName: this.table.tableName, Item: item, ...notExists },
    };
  }

  private engagementUpdate(move: EngagementMove): TransactItem {
    const expression = updateExpression({}, {}, { version: move.version }, nestedSets(move));
    return {
      Update: {
        TableName: this.table.tableName,
        Key: engagementKeys.item(move.engagementId),
        ...expression,
        ConditionExpression: '#version = :readVersion',
        ExpressionAttributeNames: { ...expression.ExpressionAttributeNames, '#version': 'version' },
        ExpressionAttributeValues: {
          ...expression.ExpressionAttributeValues,
          ':readVersion': move.readVersion,
        },
      },
    };
  }

  /** Another org's deal of the engagement: only its copy of the participants changes. */
  private copyUpdate(copy: EngagementMove['copies'][number], move: EngagementMove): TransactItem {
    return {
      Update: {
        TableName: this.table.tableName,
        Key: dealKeys.item(copy.dealId),
        ...updateExpression({}, {}, { engagementVersion: move.version }, nestedSets(move)),
        ConditionExpression: 'attribute_exists(pk)',
      },
    };
  }

  /** The acting deal: its changed fields, its new version, and (if the engagement moves) its copy. */
  private dealUpdate(previous: DealState, next: DealState, move?: EngagementMove): TransactItem {
    const expression = updateExpression(
      ownFields(previous),
      ownFields(next),
      {
        version: next.deal.version,
        ...ownerKeys(next.deal),
        ...(move ? { engagementVersion: move.version } : {}),
      },
      move ? nestedSets(move) : [],
    );
    return {
      Update: {
        TableName: this.table.tableName,
        Key: dealKeys.item(next.deal.id),
        ...expression,
        ConditionExpression: '#version = :expectedVersion',
        ExpressionAttributeNames: { ...expression.ExpressionAttributeNames, '#version': 'version' },
        ExpressionAttributeValues: {
          ...expression.ExpressionAttributeValues,
          ':expectedVersion': previous.deal.version,
        },
      },
    };
  }

  /** The new owner's membership is still active at the version the decision read. */
  private ownerCheck(check: OwnerCheck): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.table.tableName,
        Key: membershipKeys.member(check.orgId, check.email),
        ConditionExpression: '#version = :version AND #status = :active',
        ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
        ExpressionAttributeValues: { ':version': check.version, ':active': 'active' },
      },
    };
  }

  /** The caller's sub binding is still the one the decision read: same org, same version. */
  private membershipCheck(check: MembershipCheck): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.table.tableName,
        Key: membershipKeys.binding(check.sub),
        ConditionExpression: '#version = :version AND #orgId = :orgId',
        ExpressionAttributeNames: { '#version': 'version', '#orgId': 'orgId' },
        ExpressionAttributeValues: { ':version': check.version, ':orgId': check.orgId },
      },
    };
  }

  /**
   * The membership check, when the plan has one, is the transaction's last item: a cancelled
   * transaction reports a code per item, by position, so its last code tells a changed membership
   * from a lost race on the deal or the engagement.
   */
  private async transact(items: TransactItem[], checksMembership: boolean): Promise<DealCommitOutcome> {
    try {
      await this.table.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'committed';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (checksMembership && codes && conditionFailed(codes, items.length - 1)) return 'membership-changed';
      if (isLostRace(error)) return 'conflict';
      throw error;
    }
  }

  /**
   * The rate record as the rule read it: absent, or still at the version read. An expired record
   * TTL has not removed yet is still there, so the version condition holds for it too.
   */
  private invitationRatePut({ readVersion, next }: InvitationRateWrite): TransactItem {
    return {
      Put: {
        TableName: this.table.tableName,
        Item: invitationRateItem(next),
        ...(readVersion === undefined
          ? notExists
          : {
              ConditionExpression: '#version = :readVersion',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':readVersion': readVersion },
            }),
      },
    };
  }

  /** One BatchGetItem of at most 19 keys (the other orgs of an engagement). */
  async sharedTeams(engagementId: string, orgIds: readonly string[]): Promise<Record<string, TeamMember[]>> {
    const found = await batchGet(
      this.table,
      orgIds.map((orgId) => engagementKeys.sharedTeam(engagementId, orgId)),
      true,
    );
    return Object.fromEntries(
      found.flatMap((item) => {
        if (!item) return [];
        const shared = fromItem<SharedTeam>(item);
        return [[shared.orgId, shared.team]];
      }),
    );
  }

  async invitationRates(engagementId: string, orgIds: readonly string[]): Promise<InvitationRate[]> {
    const found = await batchGet(
      this.table,
      orgIds.map((orgId) => engagementKeys.invitationRate(engagementId, orgId)),
      true,
    );
    return found.flatMap((item) => (item ? [fromItem<InvitationRate>(item)] : []));
  }

  /** One TransactWriteItems: each part of the plan becomes its items, in the plan's order. */
  async commit(plan: DealPlan) {
    const move = plan.engagementMove;
    const check = plan.authorizedBy;
    return this.transact(
      [
        ...plan.created.map((state) => this.put(dealItem(state))),
        ...(plan.engagement ? [this.put(engagementItem(plan.engagement))] : []),
        ...(plan.changed ? [this.dealUpdate(plan.changed.previous, plan.changed.next, move)] : []),
        ...(plan.others ?? []).map((other) => this.dealUpdate(other.previous, other.next, move)),
        ...(move
          ? [this.engagementUpdate(move), ...move.copies.map((copy) => this.copyUpdate(copy, move))]
          : []),
        ...(plan.teams ?? []).map((shared) => ({
          Put: { TableName: this.table.tableName, Item: sharedTeamItem(shared) },
        })),
        ...plan.history.map((entry) => this.put(historyItem(entry))),
        ...plan.answers.flatMap(({ answer, count, signal }) => [
          this.put(answerItem(answer)),
          countAnswer(this.table.tableName, count),
          ...countSignal(this.table.tableName, signal),
        ]),
        ...plan.events.map((event) => this.put(outboxItem(event))),
        ...(plan.invitationRates ?? []).map((rate) => this.invitationRatePut(rate)),
        ...(plan.ownerCheck ? [this.ownerCheck(plan.ownerCheck)] : []),
        ...(check ? [this.membershipCheck(check)] : []),
      ],
      check !== undefined,
    );
  }

  async dueInvitations(before: string, page: PageRequest): Promise<Page<Deal>> {
    const result = await queryDueShardsPage(this.table, dealKeys.invitationActionsBefore(before), page);
    return {
      items: result.items.map((item) => fromItem<Deal>(item)),
      ...(result.next ? { next: result.next } : {}),
    };
  }

  /** One BatchGetItem: the deal and the viewer's favorite mark, strongly consistent (read-your-writes). */
  async get(orgId: string, dealId: string, viewerSub: string): Promise<StoredDeal | undefined> {
    const [deal, favorite] = await batchGet(
      this.table,
      [dealKeys.item(dealId), favoriteKeys.item(viewerSub, dealId)],
      true,
    );
    return deal && deal.orgId === orgId ? storedDeal(deal, favorite) : undefined;
  }

  /**
   * One strongly consistent BatchGetItem of the caller's sub binding and the items the request
   * names (the deal with the caller's mark, the customer): all keyed by the sub and the ids alone.
   */
  async readForCaller(sub: string, request: CallerReadRequest): Promise<CallerRead> {
    const { dealId, customerId } = request;
    const keys: Key[] = [
      ...(dealId !== undefined ? [dealKeys.item(dealId), favoriteKeys.item(sub, dealId)] : []),
      ...(customerId !== undefined ? [customerKeys.item(customerId)] : []),
    ];
    const { found: rest, confirmation } = await this.readWithCaller(keys, sub, true);
    const [deal, favorite] = dealId !== undefined ? rest.splice(0, 2) : [];
    const [customer] = customerId !== undefined ? rest : [];
    return {
      ...(confirmation?.caller ? { actor: confirmation.caller } : {}),
      ...(deal ? { deal: storedDeal(deal, favorite) } : {}),
      ...(isActive(customer) ? { customer: toCustomer(customer) } : {}),
    };
  }

  /**
   * One BatchGetItem of the given keys and, when it is to read the caller (a request's first read,
   * the page of a caller its token only claims), the viewer's sub binding first. The binding decides authorization, so
   * that read is strongly consistent (a membership removed a moment ago is seen removed).
   */
  private async readWithCaller(
    keys: Key[],
    viewerSub: string,
    readCaller: boolean | undefined,
  ): Promise<{ found: (Item | undefined)[]; confirmation?: { caller?: Actor } }> {
    if (!readCaller) return { found: await batchGet(this.table, keys) };
    const [binding, ...found] = await batchGet(
      this.table,
      [membershipKeys.binding(viewerSub), ...keys],
      true,
    );
    return { found, confirmation: binding ? { caller: toActor(binding as BindingItem) } : {} };
  }

  private async withFavorites(
    deals: Deal[],
    viewerSub: string,
    readCaller: boolean | undefined,
    next?: PageKey,
  ): Promise<DealListPage> {
    const { found, confirmation } = await this.readWithCaller(
      deals.map((deal) => favoriteKeys.item(viewerSub, deal.id)),
      viewerSub,
      readCaller,
    );
    return {
      items: deals.map((deal, i) => ({ deal, favorite: found[i] !== undefined })),
      ...(next ? { next } : {}),
      ...confirmation,
    };
  }

  async list(query: DealListQuery, viewerSub: string, page: PageRequest): Promise<DealListPage> {
    const { orgId, source, keep, readCaller } = query;
    if (source.by === 'crmId') {
      // One Query of one entry: the newest deal carrying the id (the API does not make it unique).
      const result = await queryIndex(
        this.table,
        dealKeys.crmIdPartition(orgId, source.crmId),
        { limit: 1 },
        {
          newestFirst: true,
        },
      );
      const deals = result.items.map((item) => fromItem<Deal>(item)).filter((deal) => !keep || keep(deal));
      return this.withFavorites(deals, viewerSub, readCaller);
    }
    const indexQuery =
      source.by === 'updated'
        ? dealKeys.changesBetween(orgId, source.since, source.until)
        : source.by === 'owner'
          ? dealKeys.ownerPartition(orgId, source.owner ?? undefined, source.direction)
          : source.status
            ? dealKeys.directionStatusPartition(orgId, source.direction, source.status)
            : dealKeys.directionPartition(orgId, source.direction);
    const result = await queryIndex(
      this.table,
      indexQuery,
      keep ? { limit: FILTERED_PAGE_BUDGET, ...(page.after ? { after: page.after } : {}) } : page,
      { newestFirst: source.by !== 'updated' },
    );
    const { items, next } = keptPage(
      result.items.map((entry) => ({ entry, value: fromItem<Deal>(entry) })),
      result.next,
      page.limit,
      keep ?? (() => true),
      indexQuery.index,
    );
    return this.withFavorites(items, viewerSub, readCaller, next);
  }

  async listFavorites(
    viewerSub: string,
    page: PageRequest,
    { keep, readCaller }: Pick<DealListQuery, 'keep' | 'readCaller'> = {},
  ): Promise<DealListPage> {
    const marksQuery = favoriteKeys.userPartition(viewerSub);
    const result = await queryIndex(
      this.table,
      marksQuery,
      keep ? { limit: FILTERED_PAGE_BUDGET, ...(page.after ? { after: page.after } : {}) } : page,
      { newestFirst: true },
    );
    const marks = result.items.map((item) => fromItem<FavoriteItem>(item));
    const { found: deals, confirmation } = await this.readWithCaller(
      marks.map((mark) => dealKeys.item(mark.dealId)),
      viewerSub,
      readCaller,
    );
    const { items, next } = keptPage(
      result.items.map((entry, i) => {
        const deal = deals[i];
        return { entry, value: deal ? fromItem<Deal>(deal) : undefined };
      }),
      result.next,
      page.limit,
      keep ?? (() => true),
      marksQuery.index,
    );
    return {
      items: items.map((deal) => ({ deal, favorite: true })),
      ...(next ? { next } : {}),
      ...confirmation,
    };
  }

  async setFavorite(viewerSub: string, deal: Pick<Deal, 'orgId' | 'id'>, favorite: boolean, at: string) {
    const { db, tableName } = this.table;
    const key = favoriteKeys.item(viewerSub, deal.id);
    if (!favorite) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
      return;
    }
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...key,
            ...favoriteKeys.byTime(viewerSub, at, deal.id),
            type: ENTITY.favorite,
            orgId: deal.orgId,
            dealId: deal.id,
            favoritedAt: at,
            version: 1,
          } satisfies FavoriteItem & Record<string, unknown>,
          // Marking twice keeps the first mark, so the Favorites tab order does not jump.
          ...notExists,
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * The org's newest deals of both directions: each direction's tab on gsi1 newest first (deal ids
   * are ULIDs), up to `limit` each, merged. The newest `limit` overall are among them, so this reads
   * at most twice what it returns.
   */
  async recentDeals(orgId: string, limit: number): Promise<Deal[]> {
    const perDirection = await Promise.all(
      DIRECTIONS.map((direction) => this.newest(dealKeys.directionPartition(orgId, direction), limit)),
    );
    return perDirection
      .flat()
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit);
  }

  private async newest(tab: IndexQuery, limit: number): Promise<Deal[]> {
    const deals: Deal[] = [];
    let after: PageRequest['after'];
    do {
      const page = await queryIndex(
        this.table,
        tab,
        { limit: Math.min(limit - deals.length, 500), ...(after ? { after } : {}) },
        { newestFirst: true },
      );
      deals.push(...page.items.map((item) => fromItem<Deal>(item)));
      after = page.next;
    } while (after && deals.length < limit);
    return deals;
  }

  async history(dealId: string, page: PageRequest): Promise<Page<HistoryEntry>> {
    const result = await queryPartition(this.table, historyKeys.dealPartition(dealId), page, {
      newestFirst: true,
    });
    return {
      items: result.items.map((item) => fromItem<HistoryEntry>(item)),
      ...(result.next ? { next: result.next } : {}),
    };
  }
}
