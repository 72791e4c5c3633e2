import { DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#domain/errors.ts';
import type { Deal, Engagement, HistoryEntry } from '#domain/model.ts';
import type { DealListQuery, DealStore, DealUpdate, DealView, Page, PageRequest } from '#domain/ports.ts';
import { batchGet, fromItem, nextKey, queryPage, updateExpression } from './items.ts';
import { dealKeys, ENTITY, engagementKeys, favoriteKeys, historyKeys } from './keys.ts';
import type { TableRef } from './table-ref.ts';

type FavoriteItem = { orgId: string; dealId: string; favoritedAt: string };

/** The index keys a deal's current state calls for; a key it lacks takes the item out of that index. */
const dealIndexKeys = (deal: Deal): Record<string, string> => ({
  ...dealKeys.byDirection(deal.orgId, deal.direction, deal.id),
  ...dealKeys.byDirectionAndStatus(deal.orgId, deal.direction, deal.status, deal.id),
  ...dealKeys.byEngagement(deal.engagementId, deal.orgId),
});

export const dealItem = (deal: Deal) => ({
  ...dealKeys.item(deal.orgId, deal.id),
  ...dealIndexKeys(deal),
  type: ENTITY.deal,
  ...deal,
});

/** Set once at creation; participants change only through the engagement, never by the deal's own update. */
const FIXED_DEAL_FIELDS = new Set<string>([
  'id',
  'orgId',
  'engagementId',
  'direction',
  'participants',
  'createdAt',
  'createdBy',
  'version',
]);

const isTransactionConflict = (error: unknown): boolean => {
  const name = (error as Error).name;
  if (name === 'ConditionalCheckFailedException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some(
    (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
  );
};

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

export class DynamoDealStore implements DealStore {
  constructor(private readonly table: TableRef) {}

  async create({ deal, engagement, history }: { deal: Deal; engagement: Engagement; history: HistoryEntry }) {
    const { db, tableName } = this.table;
    const absent = { TableName: tableName, ConditionExpression: 'attribute_not_exists(pk)' };
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { ...absent, Item: dealItem(deal) } },
          { Put: { ...absent, Item: engagementItem(engagement) } },
          { Put: { ...absent, Item: historyItem(history) } },
        ],
      }),
    );
  }

  async update({ previous, next, history }: DealUpdate) {
    const { db, tableName } = this.table;
    const fields = (deal: Deal): Record<string, unknown> => ({
      ...Object.fromEntries(Object.entries(deal).filter(([name]) => !FIXED_DEAL_FIELDS.has(name))),
      ...dealIndexKeys(deal),
    });
    const statusChanged = previous.status !== next.status;
    const expression = updateExpression(
      fields(previous),
      fields(next),
      { version: next.version },
      statusChanged ? [[['participants', next.orgId, 'status'], next.status]] : [],
    );
    const participantStatus = {
      UpdateExpression: 'SET participants.#org.#status = :status',
      ExpressionAttributeNames: { '#org': next.orgId, '#status': 'status' },
      ExpressionAttributeValues: { ':status': next.status },
    };
    const others = Object.values(previous.participants).filter(
      (participant) => participant.orgId !== next.orgId,
    );
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: dealKeys.item(next.orgId, next.id),
                ...expression,
                ConditionExpression: '#version = :expectedVersion',
                ExpressionAttributeNames: { ...expression.ExpressionAttributeNames, '#version': 'version' },
                ExpressionAttributeValues: {
                  ...expression.ExpressionAttributeValues,
                  ':expectedVersion': previous.version,
                },
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: historyItem(history),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...(statusChanged
              ? [
                  {
                    Update: {
                      TableName: tableName,
                      Key: engagementKeys.item(next.engagementId),
                      ...participantStatus,
                      ConditionExpression: 'attribute_exists(participants.#org)',
                    },
                  },
                  ...others.map((participant) => ({
                    Update: {
                      TableName: tableName,
                      Key: dealKeys.item(participant.orgId, participant.dealId),
                      ...participantStatus,
                      ConditionExpression: 'attribute_exists(pk)',
                    },
                  })),
                ]
              : []),
          ],
        }),
      );
    } catch (error) {
      if (isTransactionConflict(error)) {
        throw new ConflictError('concurrent-update', 'The deal changed while this change was being written.');
      }
      throw error;
    }
  }

  /** One BatchGetItem: the deal and the viewer's favorite mark, strongly consistent (read-your-writes). */
  async get(orgId: string, dealId: string, viewerSub: string): Promise<DealView | undefined> {
    const [deal, favorite] = await batchGet(
      this.table,
      [dealKeys.item(orgId, dealId), favoriteKeys.item(viewerSub, dealId)],
      true,
    );
    return deal ? { deal: fromItem<Deal>(deal), favorite: favorite !== undefined } : undefined;
  }

  async list(query: DealListQuery, viewerSub: string, page: PageRequest): Promise<Page<DealView>> {
    const index = query.status
      ? {
          IndexName: 'gsi2',
          ExpressionAttributeValues: {
            ':pk': dealKeys.directionStatusPartition(query.orgId, query.direction, query.status).gsi2pk,
          },
          KeyConditionExpression: 'gsi2pk = :pk',
        }
      : {
          IndexName: 'gsi1',
          ExpressionAttributeValues: {
            ':pk': dealKeys.directionPartition(query.orgId, query.direction).gsi1pk,
          },
          KeyConditionExpression: 'gsi1pk = :pk',
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

  async listFavorites(viewerSub: string, page: PageRequest): Promise<Page<DealView>> {
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
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
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
