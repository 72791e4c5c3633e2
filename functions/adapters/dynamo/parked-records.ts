/**
 * Parked stream records: the outbox events a stream consumer could not handle, one item per
 * (consumer, event), so they can be re-driven after the stream (24 h) has forgotten them. The
 * outbox item stays the source of the event; a parked item only points at it. A record that keeps
 * failing updates its one item (attempts, last error) instead of adding more.
 */
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './errors.ts';
import { ENTITY, outboxKeys, parkedKeys } from './keys.ts';
import type { TableRef } from './table-ref.ts';

export type ParkedRecord = {
  consumer: string;
  eventId: string;
  error: string;
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
};

/** Long enough to say why, short enough that an item stays small whatever a provider answered. */
const MAX_ERROR_LENGTH = 500;

export class DynamoParkedRecords {
  constructor(private readonly table: TableRef) {}

  /** Records one failure of `consumer` on the outbox event `eventId` (one UpdateItem). */
  async park(consumer: string, eventId: string, error: string, at: Date): Promise<void> {
    await this.table.db.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: parkedKeys.item(consumer, eventId),
        UpdateExpression:
          'SET #type = :type, version = :version, consumer = :consumer, eventId = :eventId, #error = :error, ' +
          'lastFailedAt = :at, firstFailedAt = if_not_exists(firstFailedAt, :at) ADD attempts :one',
        ExpressionAttributeNames: { '#type': 'type', '#error': 'error' },
        ExpressionAttributeValues: {
          ':type': ENTITY.parked,
          ':version': 1,
          ':consumer': consumer,
          ':eventId': eventId,
          ':error': error.slice(0, MAX_ERROR_LENGTH),
          ':at': at.toISOString(),
          ':one': 1,
        },
      }),
    );
  }

  /** Every parked record, or one consumer's, oldest key first. */
  async list(consumer?: string): Promise<ParkedRecord[]> {
    const records: ParkedRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.table.db.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: consumer ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': parkedKeys.partition().pk,
            ...(consumer ? { ':prefix': parkedKeys.consumerPrefix(consumer) } : {}),
          },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        records.push({
          consumer: String(item.consumer),
          eventId: String(item.eventId),
          error: String(item.error ?? ''),
          attempts: Number(item.attempts ?? 0),
          firstFailedAt: String(item.firstFailedAt ?? ''),
          lastFailedAt: String(item.lastFailedAt ?? ''),
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  }

  /** The outbox item a parked record points at, as stored, or undefined once it has expired. */
  async outboxItem(eventId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.table.db.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: outboxKeys.item(eventId),
        ConsistentRead: true,
      }),
    );
    return Item;
  }

  /**
   * Removes a parked record once it is re-driven, unless it failed again since it was read (then
   * the newer failure stays parked). Answers whether it was removed.
   */
  async remove(record: ParkedRecord): Promise<boolean> {
    try {
      await this.table.db.send(
        new DeleteCommand({
          TableName: this.table.tableName,
          Key: parkedKeys.item(record.consumer, record.eventId),
          ConditionExpression: 'attempts = :attempts',
          ExpressionAttributeValues: { ':attempts': record.attempts },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
