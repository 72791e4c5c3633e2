import { DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { nextInvitationAction } from '#domain/deals/expire-invitations.ts';
import { selfParticipantChanged } from '#domain/deals/participants.ts';
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
import { isConditionFailure, isLostRace } from './errors.ts';
import { batchGet, fromItem, nextKey, queryPage, updateExpression } from './items.ts';
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
import type { TableRef } from './table-ref.ts';

type FavoriteItem = { orgId: string; dealId: string; favoritedAt: string };
type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** The index keys a deal's current state calls for; a key it lacks takes the item out of that index. */
const dealIndexKeys = (deal: Deal): Record<string, string> => ({
  ...dealKeys.byDirection(deal.orgId, deal.direction, deal.id),
  ...dealKeys.byDirectionAndStatus(deal.orgId, deal.direction, deal.status, deal.id),
  ...dealKeys.byEngagement(deal.engagementId, deal.orgId),
  ...(deal.status === 'received' && deal.invitation
    ? dealKeys.byNextInvitationAction(nextInvitationAction(deal.invitation), deal.orgId, deal.id)
    : {}),
});

export const dealItem = (deal: Deal) => ({
  ...dealKeys.item(deal.orgId, deal.id),
  ...dealIndexKeys(deal),
  type: ENTITY.deal,
  ...deal,
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

const ownFields = (deal: Deal): Record<string, unknown> => ({
  ...Object.fromEntries(Object.entries(deal).filter(([name]) => !FIXED_DEAL_FIELDS.has(name))),
  ...dealIndexKeys(deal),
});

/**
 * An engagement change (participants added, or one participant's entry replaced) as nested SETs,
 * applied alike to the engagement item and to every deal's copy, with the engagement's version moved on.
 */
type EngagementChange = { participants: Record<string, Participant>; version: number };

const nestedSets = (change: EngagementChange): [string[], unknown][] =>
  Object.entries(change.participants).map(([orgId, participant]) => [['participants', orgId], participant]);

export class DynamoDealStore implements DealStore {
  constructor(private readonly table: TableRef) {}

  private put(item: Record<string, unknown>): TransactItem {
    return {
      Put: { TableName: this.table.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
    };
  }

  /** The engagement's update, conditioned on the version every copy was read at. */
  private engagementUpdate(
    engagementId: string,
    readVersion: number,
    change: EngagementChange,
  ): TransactItem {
    const expression = updateExpression({}, {}, { version: change.version }, nestedSets(change));
    return {
      Update: {
        TableName: this.table.tableName,
        Key: engagementKeys.item(engagementId),
        ...expression,
        ConditionExpression: '#version = :readVersion',
        ExpressionAttributeNames: { ...expression.ExpressionAttributeNames, '#version': 'version' },
        ExpressionAttributeValues: { ...expression.ExpressionAttributeValues, ':readVersion': readVersion },
      },
    };
  }

  /** Another org's deal of the engagement: only its copy of the participants changes. */
  private copyUpdate(participant: Participant, change: EngagementChange): TransactItem {
    return {
      Update: {
        TableName: this.table.tableName,
        Key: dealKeys.item(participant.orgId, participant.dealId),
        ...updateExpression({}, {}, { engagementVersion: change.version }, nestedSets(change)),
        ConditionExpression: 'attribute_exists(pk)',
      },
    };
  }

  /** The acting deal: its changed fields, its new version, and (if the engagement moves) its copy. */
  private dealUpdate(previous: Deal, next: Deal, change?: EngagementChange): TransactItem {
    const expression = updateExpression(
      ownFields(previous),
      ownFields(next),
      { version: next.version, ...(change ? { engagementVersion: change.version } : {}) },
      change ? nestedSets(change) : [],
    );
    return {
      Update: {
        TableName: this.table.tableName,
        Key: dealKeys.item(next.orgId, next.id),
        ...expression,
        ConditionExpression: '#version = :expectedVersion',
        ExpressionAttributeNames: { ...expression.ExpressionAttributeNames, '#version': 'version' },
        ExpressionAttributeValues: {
          ...expression.ExpressionAttributeValues,
          ':expectedVersion': previous.version,
        },
      },
    };
  }

  private async transact(items: TransactItem[]): Promise<void> {
    try {
      await this.table.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (isLostRace(error)) {
        throw new ConflictError('concurrent-update', 'The deal changed while this change was being written.');
      }
      throw error;
    }
  }

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
    await this.transact([
      this.put(dealItem(deal)),
      this.put(engagementItem(engagement)),
      this.put(historyItem(history)),
      ...invitees.flatMap((invitee) => [
        this.put(dealItem(invitee.deal)),
        this.put(historyItem(invitee.history)),
      ]),
      ...events.map((event) => this.put(outboxItem(event))),
    ]);
  }

  async update({ previous, next, history, answer, events = [] }: DealUpdate) {
    const others = Object.values(previous.participants).filter(
      (participant) => participant.orgId !== next.orgId,
    );
    const self = next.participants[next.orgId];
    const change: EngagementChange | undefined =
      self && selfParticipantChanged(previous, next)
        ? { participants: { [next.orgId]: self }, version: previous.engagementVersion + 1 }
        : undefined;
    await this.transact([
      this.dealUpdate(previous, next, change),
      this.put(historyItem(history)),
      ...(change
        ? [
            this.engagementUpdate(next.engagementId, previous.engagementVersion, change),
            ...others.map((participant) => this.copyUpdate(participant, change)),
          ]
        : []),
      ...(answer ? [this.put(answerItem(answer)), countAnswer(this.table.tableName, answer)] : []),
      ...events.map((event) => this.put(outboxItem(event))),
    ]);
  }

  async invite({ inviter, invitees }: InvitationWrite) {
    const { previous, next, history, events = [] } = inviter;
    const added = Object.fromEntries(
      Object.entries(next.participants).filter(([orgId]) => previous.participants[orgId] === undefined),
    );
    const change: EngagementChange = { participants: added, version: previous.engagementVersion + 1 };
    const others = Object.values(previous.participants).filter(
      (participant) => participant.orgId !== next.orgId,
    );
    await this.transact([
      this.dealUpdate(previous, next, change),
      this.put(historyItem(history)),
      this.engagementUpdate(next.engagementId, previous.engagementVersion, change),
      ...others.map((participant) => this.copyUpdate(participant, change)),
      ...invitees.flatMap((invitee) => [
        this.put(dealItem(invitee.deal)),
        this.put(historyItem(invitee.history)),
      ]),
      ...events.map((event) => this.put(outboxItem(event))),
    ]);
  }

  async dueInvitations(before: string, page: PageRequest): Promise<Page<Deal>> {
    const range = dealKeys.invitationActionsBefore(before);
    const result = await this.table.db.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: 'gsi4',
        KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk < :before',
        ExpressionAttributeValues: { ':pk': range.gsi4pk, ':before': range.gsi4skBefore },
        ...queryPage(page),
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => fromItem<Deal>(item)),
      ...nextKey(result.LastEvaluatedKey),
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
    const index = query.status
      ? {
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: {
            ':pk': dealKeys.directionStatusPartition(query.orgId, query.direction, query.status).gsi2pk,
          },
        }
      : {
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: {
            ':pk': dealKeys.directionPartition(query.orgId, query.direction).gsi1pk,
          },
        };
    const result = await this.table.db.send(
      new QueryCommand({
        TableName: this.table.tableName,
        ScanIndexForward: false,
        ...index,
        ...queryPage(page),
      }),
    );
    const deals = (result.Items ?? []).map((item) => fromItem<Deal>(item));
    const favorites = await batchGet(
      this.table,
      deals.map((deal) => favoriteKeys.item(viewerSub, deal.id)),
    );
    return {
      items: deals.map((deal, i) => ({ deal, favorite: favorites[i] !== undefined })),
      ...nextKey(result.LastEvaluatedKey),
    };
  }

  async listFavorites(viewerSub: string, page: PageRequest): Promise<Page<StoredDeal>> {
    const result = await this.table.db.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': favoriteKeys.userPartition(viewerSub).gsi1pk },
        ScanIndexForward: false,
        ...queryPage(page),
      }),
    );
    const marks = (result.Items ?? []).map((item) => fromItem<FavoriteItem>(item));
    const deals = await batchGet(
      this.table,
      marks.map((mark) => dealKeys.item(mark.orgId, mark.dealId)),
    );
    return {
      items: deals.flatMap((item) => (item ? [{ deal: fromItem<Deal>(item), favorite: true }] : [])),
      ...nextKey(result.LastEvaluatedKey),
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
          ConditionExpression: 'attribute_not_exists(pk)',
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
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
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
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
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
