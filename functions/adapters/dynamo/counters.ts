/**
 * Counted items (docs/data-model.md "Counters"): a counter item beside the items it counts holds
 * `count`, and every write that adds one of them is a transaction with an Update of the counter
 * conditioned on `count < limit`, every delete one with its decrement. So no number of concurrent
 * requests passes a limit, and a check never reads before it writes. The limit is the domain's
 * (a `Quota`); this module only carries it as the condition.
 *
 * A counter that does not exist yet (items written before counters existed) is created from a
 * strongly consistent count of the items, on condition that it is still absent. Every write of a
 * counted item needs the counter, so while it is absent nothing changes the items and the count is
 * exact; once it exists it is never deleted, so a second creator's put fails and it reads the counter.
 */
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Quota } from '#domain/kernel/limits.ts';
import { cancellationCodes, conditionFailed, isConditionFailure } from './errors.ts';
import { type Key, notExists, type TransactItem } from './items.ts';
import { ENTITY } from './keys.ts';
import { TABLE_KEYS } from './table.ts';
import type { TableRef } from './table-ref.ts';

/** A counter: its key, and how to count its items when it must be created. */
export type Counter = { key: Key; countItems: () => Promise<number> };

const COUNT = { '#count': 'count' };

/** A transaction another one held an item of: the caller's retry policy decides when to try again. */
const lostToAnother = (codes: readonly (string | undefined)[]): boolean =>
  codes.includes('TransactionConflict');

const exists = async (table: TableRef, key: Key): Promise<boolean> => {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }),
  );
  return Item !== undefined;
};

/** Creates the counter from the items' count unless it exists; losing that race is fine. */
const ensureCounter = async (table: TableRef, counter: Counter): Promise<void> => {
  const count = await counter.countItems();
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...counter.key, type: ENTITY.counter, count },
        ...notExists,
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
};

/**
 * Writes `put` (a Put of a new item, conditioned on its absence) with the counter's increment,
 * on condition that the count stays within `quota`: `limit-reached` when it would not, `conflict`
 * when a concurrent transaction held the counter (nothing was written; try again).
 */
export const putCounted = async (
  table: TableRef,
  counter: Counter,
  quota: Quota,
  put: TransactItem,
): Promise<'written' | 'limit-reached' | 'conflict'> => {
  // A second round runs only after the counter was created; counters are never deleted.
  for (let round = 1; ; round++) {
    try {
      await table.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table.tableName,
                Key: counter.key,
                UpdateExpression: 'ADD #count :one',
                ConditionExpression: '#count < :limit',
                ExpressionAttributeNames: COUNT,
                ExpressionAttributeValues: { ':one': 1, ':limit': quota.limit },
              },
            },
            put,
          ],
        }),
      );
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes && lostToAnother(codes)) return 'conflict';
      if (!codes || !conditionFailed(codes, 0)) throw error;
      // A missing counter fails `count < limit` too: only an existing one means the limit is reached.
      if (round > 1 || (await exists(table, counter.key))) return 'limit-reached';
      await ensureCounter(table, counter);
    }
  }
};

/**
 * Deletes the item at `key` with the counter's decrement: `absent` when there was no such item (then
 * nothing changes), `conflict` when a concurrent transaction held the counter.
 */
export const deleteCounted = async (
  table: TableRef,
  counter: Counter,
  key: Key,
): Promise<'deleted' | 'absent' | 'conflict'> => {
  for (let round = 1; ; round++) {
    try {
      await table.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: table.tableName,
                Key: key,
                ConditionExpression: 'attribute_exists(#pk)',
                ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
              },
            },
            {
              Update: {
                TableName: table.tableName,
                Key: counter.key,
                UpdateExpression: 'ADD #count :minusOne',
                ConditionExpression: 'attribute_exists(#pk)',
                ExpressionAttributeNames: { ...COUNT, '#pk': TABLE_KEYS.partitionKey },
                ExpressionAttributeValues: { ':minusOne': -1 },
              },
            },
          ],
        }),
      );
      return 'deleted';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (lostToAnother(codes)) return 'conflict';
      if (conditionFailed(codes, 0)) return 'absent';
      if (!conditionFailed(codes, 1) || round > 1) throw error;
      await ensureCounter(table, counter);
    }
  }
};
