/**
 * The DeliveryLog port on the table: one item per (outbox item, channel) beside the outbox item.
 * A claim is a conditional put (absent, or an expired claim); done marks are plain puts; all of
 * them expire by TTL. A done mark carries its `outcome` (`delivered` with the provider's `reference`,
 * or `failed` with the `reason` the provider refused it for good). Settling the outbox item sets its own TTL.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryClaim, DeliveryLog, DeliveryResult } from '#domain/notifications/ports.ts';
import { conditionFailureItem, isConditionFailure } from './errors.ts';
import { deliveryKeys, ENTITY, outboxKeys } from './keys.ts';
import { epochSeconds, TTL_ATTRIBUTE } from './table.ts';
import type { TableRef } from './table-ref.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

type DeliveryItem = { state: 'claimed' | 'done'; leaseUntil?: string };

export class DynamoDeliveryLog implements DeliveryLog {
  constructor(private readonly table: TableRef) {}

  async claim(eventId: string, channel: string, now: Date, leaseUntil: Date): Promise<DeliveryClaim> {
    const key = deliveryKeys.item(eventId, channel);
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: {
            ...key,
            type: ENTITY.delivery,
            version: 1,
            eventId,
            channel,
            state: 'claimed',
            claimedAt: now.toISOString(),
            leaseUntil: leaseUntil.toISOString(),
            // An abandoned claim outlives its lease by a day, then goes.
            [TTL_ATTRIBUTE]: epochSeconds(new Date(leaseUntil.getTime() + DAY_MS)),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now.toISOString() },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { state: 'claimed' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.current(key, error);
      if (!current) return this.claim(eventId, channel, now, leaseUntil);
      return current.state === 'done'
        ? { state: 'done' }
        : { state: 'busy', until: current.leaseUntil ?? '' };
    }
  }

  /** The item that failed the condition: from the error when DynamoDB returned it, else read back. */
  private async current(key: { pk: string; sk: string }, error: unknown): Promise<DeliveryItem | undefined> {
    const returned = conditionFailureItem(error);
    if (returned) return returned as DeliveryItem;
    const { Item } = await this.table.db.send(
      new GetCommand({ TableName: this.table.tableName, Key: key, ConsistentRead: true }),
    );
    return Item as DeliveryItem | undefined;
  }

  async complete(eventId: string, channel: string, at: Date, keepUntil: Date, result: DeliveryResult) {
    await this.table.db.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: {
          ...deliveryKeys.item(eventId, channel),
          type: ENTITY.delivery,
          version: 1,
          eventId,
          channel,
          state: 'done',
          doneAt: at.toISOString(),
          ...result,
          [TTL_ATTRIBUTE]: epochSeconds(keepUntil),
        },
      }),
    );
  }

  async release(eventId: string, channel: string, claimedAt: Date) {
    try {
      await this.table.db.send(
        new DeleteCommand({
          TableName: this.table.tableName,
          Key: deliveryKeys.item(eventId, channel),
          ConditionExpression: '#state = :claimed AND claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':claimedAt': claimedAt.toISOString() },
        }),
      );
    } catch (error) {
      // Someone else's claim, or done meanwhile: nothing of ours to give up.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async settle(eventId: string, expiresAt: Date) {
    try {
      await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: outboxKeys.item(eventId),
          UpdateExpression: 'SET #ttl = :ttl',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':ttl': epochSeconds(expiresAt) },
        }),
      );
    } catch (error) {
      // The outbox item already expired: nothing left to settle.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
