/**
 * Idempotency records in the single table (one item per user and `Idempotency-Key`, see keys.ts).
 * A request claims its key with a conditional put; the winner stores its response on the same item,
 * every other request with that key reads the item and replays, refuses or waits.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './errors.ts';
import { ENTITY, idempotencyKeys } from './keys.ts';
import { epochSeconds, TTL_ATTRIBUTE } from './table.ts';
import type { TableRef } from './table-ref.ts';

/** The response of the first request, as the Lambda answered it. */
export type StoredResponse = { statusCode: number; headers: Record<string, string>; body?: string };

export type IdempotencyRecord = {
  /**
   * `unknown`: the attempt gave up on a write that may still have been applied. Neither it nor an
   * `in-progress` record is ever taken over, so a key can never run its request twice.
   */
  state: 'in-progress' | 'completed' | 'unknown';
  /** Until when (epoch seconds) the attempt that holds the key may still be running. */
  lockedUntil: number;
  /** Hash of what the request asked for (route, path parameters, body). */
  fingerprint: string;
  response?: StoredResponse;
};

export type Claim = { claimed: true } | { claimed: false; record: IdempotencyRecord };

/** Whose key it is: a key is scoped to the calling user. */
export type KeyOwner = { orgId: string; sub: string };

export type ClaimRequest = {
  owner: KeyOwner;
  key: string;
  fingerprint: string;
  /** Identifies this attempt, so only it may complete or release its claim. */
  token: string;
  now: Date;
  /** How long the record answers for the key (docs/api.md: 24 hours). */
  retainSeconds: number;
  /** How long this attempt may run: until then a duplicate is told to retry shortly. */
  lockSeconds: number;
};

export class DynamoIdempotencyStore {
  constructor(private readonly table: TableRef) {}

  /** Claims the key for this request, or returns the live record that holds it. */
  async claim(request: ClaimRequest): Promise<Claim> {
    const key = idempotencyKeys.item(request.owner.orgId, request.owner.sub, request.key);
    const now = epochSeconds(request.now);
    // A record may outlive its TTL until DynamoDB removes it, so expiry is checked here too.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.table.db.send(
          new PutCommand({
            TableName: this.table.tableName,
            Item: {
              ...key,
              type: ENTITY.idempotency,
              version: 1,
              state: 'in-progress',
              fingerprint: request.fingerprint,
              token: request.token,
              lockedUntil: now + request.lockSeconds,
              [TTL_ATTRIBUTE]: now + request.retainSeconds,
            },
            // An attempt that died mid-write may still have written: its key stays taken until expiry.
            ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': now },
          }),
        );
        return { claimed: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const { Item } = await this.table.db.send(
        new GetCommand({ TableName: this.table.tableName, Key: key, ConsistentRead: true }),
      );
      // Released or expired between the put and the read: try to claim again.
      if (Item && (Item[TTL_ATTRIBUTE] as number) > now) {
        return {
          claimed: false,
          record: {
            state: Item.state as IdempotencyRecord['state'],
            fingerprint: Item.fingerprint as string,
            lockedUntil: Item.lockedUntil as number,
            ...(Item.response ? { response: Item.response as StoredResponse } : {}),
          },
        };
      }
    }
    throw new Error('Could not claim the idempotency key');
  }

  /** Stores the first response; only the attempt that claimed the key may. */
  async complete(owner: KeyOwner, key: string, token: string, response: StoredResponse): Promise<void> {
    await this.table.db.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: idempotencyKeys.item(owner.orgId, owner.sub, key),
        UpdateExpression: 'SET #state = :completed, #response = :response, version = version + :one',
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response', '#token': 'token' },
        ExpressionAttributeValues: {
          ':completed': 'completed',
          ':response': response,
          ':token': token,
          ':one': 1,
        },
      }),
    );
  }

  /**
   * Records that this attempt's outcome is unknown (a write was aborted). Best effort, within
   * `signal`: when the store itself hangs, the record stays `in-progress`, which answers the same.
   */
  async markUnknown(owner: KeyOwner, key: string, token: string, signal: AbortSignal): Promise<void> {
    try {
      await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: idempotencyKeys.item(owner.orgId, owner.sub, key),
          UpdateExpression: 'SET #state = :unknown, version = version + :one',
          ConditionExpression: '#token = :token AND #state = :inProgress',
          ExpressionAttributeNames: { '#state': 'state', '#token': 'token' },
          ExpressionAttributeValues: {
            ':unknown': 'unknown',
            ':inProgress': 'in-progress',
            ':token': token,
            ':one': 1,
          },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Gives the key back after a failed attempt, so the client may retry with it. */
  async release(owner: KeyOwner, key: string, token: string): Promise<void> {
    try {
      await this.table.db.send(
        new DeleteCommand({
          TableName: this.table.tableName,
          Key: idempotencyKeys.item(owner.orgId, owner.sub, key),
          ConditionExpression: '#token = :token AND #state = :inProgress',
          ExpressionAttributeNames: { '#token': 'token', '#state': 'state' },
          ExpressionAttributeValues: { ':token': token, ':inProgress': 'in-progress' },
        }),
      );
    } catch (error) {
      // Not ours (any more) to delete: the record already says what happened.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
