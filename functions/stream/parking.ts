/**
 * Where a stream consumer leaves an outbox event it could not handle (docs/observability.md, "An
 * outbox consumer's dead-letter queue has messages"). Lambda's on-failure destination only gets
 * shard and sequence numbers, and the stream forgets records after 24 hours; the parked item names
 * the outbox event, which stays in the table, so `npm run ops -- redrive` can run it again later.
 * Every failed attempt parks (Lambda does not tell a handler which attempt is its last); a record
 * that succeeds on a retry leaves a parked item that a redrive finds already done and removes.
 */
import { createDocumentClient } from '../adapters/dynamo/client.ts';
import { DynamoParkedRecords } from '../adapters/dynamo/parked-records.ts';
import { tableConfig } from '../config.ts';
import type { BatchLog } from './outbox-batch.ts';

/**
 * The consumers that park, by the name a parked item carries: their function ids (a unit test holds
 * them equal), written out so the stream bundles do not import the function table.
 */
export const CONSUMERS = { notifications: 'SendNotifications', webhookFanOut: 'DispatchWebhooks' } as const;
export type ConsumerName = (typeof CONSUMERS)[keyof typeof CONSUMERS];

let records: DynamoParkedRecords | undefined;

let recordsTable: string | undefined;

/** Built on first use, and again if the configured table changed (tests point it at fresh tables). */
const parkedRecords = (): DynamoParkedRecords => {
  const { tableName, region, dynamodbEndpoint } = tableConfig();
  if (!records || recordsTable !== tableName) {
    records = new DynamoParkedRecords({
      db: createDocumentClient({ region, endpoint: dynamodbEndpoint }),
      tableName,
    });
    recordsTable = tableName;
  }
  return records;
};

export type Park = (eventId: string, error: string) => Promise<void>;

/**
 * Parks for `consumer`. Never throws: the batch item failure is reported either way, so Lambda
 * retries and the dead-letter queue still alarms; a failed park is logged as such.
 */
export const parkFor =
  (consumer: string, log: BatchLog): Park =>
  async (eventId, error) => {
    try {
      await parkedRecords().park(consumer, eventId, error, new Date());
    } catch (parkError) {
      log.error('Could not park the failed outbox event; only the dead-letter queue knows of it', {
        consumer,
        eventId,
        error: (parkError as Error).message,
      });
    }
  };
