/**
 * Re-driving parked outbox events (functions/stream/parking.ts): each parked item's outbox item is
 * handed to its consumer's handler as the Lambda-shaped DynamoDB stream record the event source
 * would have delivered, and the parked item is removed once the handler reports no failure. The
 * handlers are idempotent per event and channel, so an event Lambda delivered on a later retry is
 * found done and only its parked item goes. `infra/scripts/ops.ts redrive` is the command line.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ParkedRecord } from '#functions/adapters/dynamo/parked-records.ts';

/** The parked items and the outbox items they point at (DynamoParkedRecords). */
export type ParkedStore = {
  list: (consumer?: string) => Promise<ParkedRecord[]>;
  outboxItem: (eventId: string) => Promise<Record<string, unknown> | undefined>;
  remove: (record: ParkedRecord) => Promise<boolean>;
};

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

/** What one parked record came to. */
export type RedriveOutcome =
  | { record: ParkedRecord; result: 'would-redrive' }
  | { record: ParkedRecord; result: 'redriven' }
  /** Failed again: it stays parked (with one more attempt) for the next run. */
  | { record: ParkedRecord; result: 'failed'; error: string }
  /** Its outbox item expired: nothing is left to run, so the parked item is removed. */
  | { record: ParkedRecord; result: 'outbox-gone' }
  /** No handler by that name: left as it is (a consumer renamed or removed since). */
  | { record: ParkedRecord; result: 'unknown-consumer' };

/** The INSERT record of `item` (an outbox item as stored), as the event source delivers it. */
export const insertRecord = (item: Record<string, unknown>, region: string): DynamoDBRecord => {
  const image = marshall(item, { removeUndefinedValues: true });
  const keys = { pk: image.pk, sk: image.sk };
  return {
    eventID: `redrive-${String(item.pk)}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      Keys: keys,
      NewImage: image,
      // Any identifier works: the handler only hands it back as a batch item failure.
      SequenceNumber: `redrive-${String(item.pk)}`,
      SizeBytes: JSON.stringify(image).length,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  } as DynamoDBRecord;
};

export type RedriveOptions = {
  store: ParkedStore;
  handlers: Readonly<Record<string, StreamHandler>>;
  consumer?: string;
  dryRun?: boolean;
  region: string;
};

/** Re-drives every parked record (or one consumer's), one at a time, oldest key first. */
export const redrive = async (options: RedriveOptions): Promise<RedriveOutcome[]> => {
  const outcomes: RedriveOutcome[] = [];
  for (const record of await options.store.list(options.consumer)) {
    const handler = options.handlers[record.consumer];
    if (!handler) {
      outcomes.push({ record, result: 'unknown-consumer' });
      continue;
    }
    if (options.dryRun) {
      outcomes.push({ record, result: 'would-redrive' });
      continue;
    }
    const item = await options.store.outboxItem(record.eventId);
    if (!item) {
      await options.store.remove(record);
      outcomes.push({ record, result: 'outbox-gone' });
      continue;
    }
    try {
      const response = await handler({ Records: [insertRecord(item, options.region)] });
      if ((response?.batchItemFailures ?? []).length > 0) {
        outcomes.push({ record, result: 'failed', error: 'the consumer reported it as failed again' });
        continue;
      }
    } catch (error) {
      outcomes.push({ record, result: 'failed', error: (error as Error).message });
      continue;
    }
    await options.store.remove(record);
    outcomes.push({ record, result: 'redriven' });
  }
  return outcomes;
};

/** One line per outcome and a count, for the operator. */
export const describeOutcomes = (outcomes: readonly RedriveOutcome[]): string[] => {
  const lines = outcomes.map((outcome) => {
    const { consumer, eventId, attempts, lastFailedAt, error } = outcome.record;
    const what = `${consumer} ${eventId}`;
    switch (outcome.result) {
      case 'would-redrive':
        return `would re-drive ${what} (failed ${attempts}×, last ${lastFailedAt}: ${error})`;
      case 'redriven':
        return `re-driven ${what}`;
      case 'failed':
        return `still failing ${what}: ${outcome.error} (left parked)`;
      case 'outbox-gone':
        return `gone ${what}: its outbox item expired; parked item removed`;
      default:
        return `skipped ${what}: no consumer of that name (left parked)`;
    }
  });
  const failed = outcomes.filter((o) => o.result === 'failed' || o.result === 'unknown-consumer').length;
  return [...lines, `${outcomes.length} parked record(s), ${failed} left parked`];
};
