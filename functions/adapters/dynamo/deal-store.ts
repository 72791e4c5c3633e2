import { DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DealPlan, DealState, EngagementMove } from '#domain/deals/rules/plan.ts';
import type { DomainEvent } from '#domain/events.ts';
import type { Deal, Engagement, HistoryEntry, InvitationAnswer } from '#domain/model.ts';
import type { DealListQuery, DealStore, Page, PageRequest, StoredDeal } from '#domain/ports.ts';
import { isConditionFailure, isLostRace } from './errors.ts';
import { batchGet, fromItem, nextKey, notExists, queryIndex, queryPage, updateExpression } from './items.ts';
import {
  answerKeys,
  dealKeys,
  ENTITY,
  engagementKeys,
  favoriteKeys,
  historyKeys,
  orgDealsKeys,
  outboxKeys,
} from './keys.ts';
import { countAnswer } from './responsiveness-store.ts';
import { TABLE_KEYS } from './table.ts';
import type { TableRef } from './table-ref.ts';

const PARTITION_KEY_NAMES = { '#pk': TABLE_KEYS.partitionKey, '#sk': TABLE_KEYS.sortKey };

type FavoriteItem = { orgId: string; dealId: string; favoritedAt: string };
type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** The index keys a deal's state calls for; a key it lacks takes the item out of that index. */
const dealIndexKeys = ({ deal, nextActionAt }: DealState): Record<string, string> => ({
  ...dealKeys.byDirection(deal.orgId, deal.direction, deal.id),
  ...dealKeys.byDirectionAndStatus(deal.orgId, deal.direction, deal.status, deal.id),
  ...dealKeys.byEngagement(deal.engagementId, deal.orgId),
  ...(nextActionAt !== undefined ? dealKeys.byNextInvitationAction(nextActionAt, deal.orgId, deal.id) : {}),
});

export const dealItem = (state: DealState) => ({
  ...dealKeys.item(state.deal.orgId, state.deal.id),
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

const answerItem = (answer: InvitationAnswer) => ({
  ...answerKeys.item(answer.orgId, answer.answeredAt, answer.dealId),
  type: ENTITY.answer,
  version: 1,
  ...answer,
});

/** The event sits under `event`: its own `type` must not collide with the item's entity tag. */
export const outboxItem = (event: DomainEvent) => ({
  ...outboxKeys.item(event.id),
  type: ENTITY.outbox,
  version: 1,
  event,
});

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
        Key: dealKeys.item(copy.orgId, copy.dealId),
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
      { version: next.deal.version, ...(move ? { engagementVersion: move.version } : {}) },
      move ? nestedSets(move) : [],
    );
    return {
      Update: {
        TableName: this.table.tableName,
        Key: dealKeys.item(next.deal.orgId, next.deal.id),
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

  private async transact(items: TransactItem[]): Promise<'committed' | 'conflict'> {
    try {
      await this.table.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'committed';
    } catch (error) {
      if (isLostRace(error)) return 'conflict';
      throw error;
    }
  }

  /** One TransactWriteItems: each part of the plan becomes its items, in the plan's order. */
  async commit(plan: DealPlan) {
    const move = plan.engagementMove;
    return this.transact([
      ...plan.created.map((state) => this.put(dealItem(state))),
      ...(plan.engagement ? [this.put(engagementItem(plan.engagement))] : []),
      ...(plan.changed ? [this.dealUpdate(plan.changed.previous, plan.changed.next, move)] : []),
      ...(plan.others ?? []).map((other) => this.dealUpdate(other.previous, other.next, move)),
      ...(move
        ? [this.engagementUpdate(move), ...move.copies.map((copy) => this.copyUpdate(copy, move))]
        : []),
      ...plan.history.map((entry) => this.put(historyItem(entry))),
      ...plan.answers.flatMap(({ answer, count }) => [
        this.put(answerItem(answer)),
        countAnswer(this.table.tableName, count),
      ]),
      ...plan.events.map((event) => this.put(outboxItem(event))),
    ]);
  }

  async dueInvitations(before: string, page: PageRequest): Promise<Page<Deal>> {
    const result = await queryIndex(this.table, dealKeys.invitationActionsBefore(before), page);
    return {
      items: result.items.map((item) => fromItem<Deal>(item)),
      ...(result.next ? { next: result.next } : {}),
    };
  }

  /** One BatchGetItem: the deal and the viewer's favorite mark, strongly consistent (read-your-writes). */
  async get(orgId: string, dealId: string, viewerSub: string): Promise<StoredDeal | undefined> {
    const [deal, favorite] = await batchGet(
      this.table,
      [dealKeys.item(orgId, dealId), favoriteKeys.item(viewerSub, dealId)],
      true,
    );
    return deal ? { deal: fromItem<Deal>(deal), favorite: favorite !== undefined } : undefined;
  }

  async list(query: DealListQuery, viewerSub: string, page: PageRequest): Promise<Page<StoredDeal>> {
    const tab = query.status
      ? dealKeys.directionStatusPartition(query.orgId, query.direction, query.status)
      : dealKeys.directionPartition(query.orgId, query.direction);
    const result = await queryIndex(this.table, tab, page, { newestFirst: true });
    const deals = result.items.map((item) => fromItem<Deal>(item));
    const favorites = await batchGet(
      this.table,
      deals.map((deal) => favoriteKeys.item(viewerSub, deal.id)),
    );
    return {
      items: deals.map((deal, i) => ({ deal, favorite: favorites[i] !== undefined })),
      ...(result.next ? { next: result.next } : {}),
    };
  }

  async listFavorites(viewerSub: string, page: PageRequest): Promise<Page<StoredDeal>> {
    const result = await queryIndex(this.table, favoriteKeys.userPartition(viewerSub), page, {
      newestFirst: true,
    });
    const marks = result.items.map((item) => fromItem<FavoriteItem>(item));
    const deals = await batchGet(
      this.table,
      marks.map((mark) => dealKeys.item(mark.orgId, mark.dealId)),
    );
    return {
      items: deals.flatMap((item) => (item ? [{ deal: fromItem<Deal>(item), favorite: true }] : [])),
      ...(result.next ? { next: result.next } : {}),
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

  /** Pages through the org's partition newest first, up to `limit` deals. */
  async recentDeals(orgId: string, limit: number): Promise<Deal[]> {
    const partition = orgDealsKeys.partition(orgId);
    const deals: Deal[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const result = await this.table.db.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: PARTITION_KEY_NAMES,
          ExpressionAttributeValues: { ':pk': partition.pk, ':prefix': partition.skPrefix },
          ScanIndexForward: false,
          Limit: Math.min(limit - deals.length, 500),
          ...(after ? { ExclusiveStartKey: after } : {}),
        }),
      );
      deals.push(...(result.Items ?? []).map((item) => fromItem<Deal>(item)));
      after = result.LastEvaluatedKey;
    } while (after && deals.length < limit);
    return deals;
  }

  async history(dealId: string, page: PageRequest): Promise<Page<HistoryEntry>> {
    const partition = historyKeys.dealPartition(dealId);
    const result = await this.table.db.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: PARTITION_KEY_NAMES,
        ExpressionAttributeValues: { ':pk': partition.pk, ':prefix': partition.skPrefix },
        ScanIndexForward: false,
        ...queryPage(page),
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => fromItem<HistoryEntry>(item)),
      ...nextKey(result.LastEvaluatedKey),
    };
  }
}
