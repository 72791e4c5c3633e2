/**
 * The table's stream as an outbox consumer reads it: only inserted outbox items (the delivery marks
 * beside them are not events), failed records retried, bisected and then reported to a dead-letter
 * queue. Its message holds only shard and sequence numbers, so it is the alarm, not the record: the
 * consumer has parked the event in the table (functions/stream/parking.ts) for `npm run ops -- redrive`.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { ENTITY } from '#functions/adapters/dynamo/keys.ts';

/** Retries of a failing outbox batch before it goes to the DLQ (each send also retries in the SDK). */
export const NOTIFICATION_RETRY_ATTEMPTS = 8;

/**
 * The concurrency each outbox consumer reserves: one batch per stream shard runs at a time, and the
 * table's stream has a shard per partition, a handful for this table. A throttled batch waits and is
 * retried in order; it is not lost.
 */
export const OUTBOX_CONSUMER_CONCURRENCY = 10;

export const outboxInserts = (table: ITable, batchSize: number, dlq: IQueue): DynamoEventSource =>
  new DynamoEventSource(table, {
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize,
    maxBatchingWindow: Duration.seconds(1),
    filters: [
      FilterCriteria.filter({
        eventName: FilterRule.isEqual('INSERT'),
        dynamodb: { NewImage: { type: { S: FilterRule.isEqual(ENTITY.outbox) } } },
      }),
    ],
    reportBatchItemFailures: true,
    bisectBatchOnError: true,
    retryAttempts: NOTIFICATION_RETRY_ATTEMPTS,
    maxRecordAge: Duration.hours(6),
    onFailure: new SqsDlq(dlq),
  });
