/**
 * The pure parts of re-driving parked outbox events: the stream record it builds is one the
 * consumers read as the outbox insert it was, and each parked record's outcome (dry run, success,
 * another failure, an expired outbox item, a consumer nobody knows) leaves the parked item as it
 * should.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '#domain/kernel/events.ts';
import { outboxItem } from '#functions/adapters/dynamo/outbox.ts';
import type { ParkedRecord } from '#functions/adapters/dynamo/parked-records.ts';
import { NOTIFICATION_FUNCTION, WEBHOOK_FAN_OUT_FUNCTION } from '#functions/environment.ts';
import { outboxEvent } from '#functions/stream/outbox-batch.ts';
import { CONSUMERS } from '#functions/stream/parking.ts';
import { declaredTableAccess } from '#functions/table-access.ts';
import { describeOutcomes, insertRecord, type ParkedStore, redrive } from '#infra/scripts/redrive.ts';

const event = {
  id: '01JREDRIVE00000000000000001',
  type: 'deal.stage-changed',
  at: '2026-12-01T10:00:00.000Z',
  orgId: 'org-1',
  dealId: 'deal-1',
} as unknown as DomainEvent;

const parkedRecord = (consumer: string, eventId: string): ParkedRecord => ({
  consumer,
  eventId,
  error: 'publish: EventBridge is unavailable',
  attempts: 3,
  firstFailedAt: '2026-12-01T10:00:01.000Z',
  lastFailedAt: '2026-12-01T16:00:00.000Z',
});

/** Parked records and outbox items in memory; `removed` lists what was removed. */
const store = (records: ParkedRecord[], outbox: Record<string, Record<string, unknown>>) => {
  const removed: string[] = [];
  const memory: ParkedStore = {
    list: async (consumer) => records.filter((r) => !consumer || r.consumer === consumer),
    outboxItem: async (eventId) => outbox[eventId],
    remove: async (record) => {
      removed.push(`${record.consumer}#${record.eventId}`);
      return true;
    },
  };
  return { memory, removed };
};

describe('insertRecord', () => {
  it('is the outbox insert the consumers read, with a sequence number to report back', () => {
    const record = insertRecord(outboxItem(event), 'eu-west-1');
    expect(outboxEvent(record)).toEqual(event);
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
    });
    expect(record.dynamodb?.Keys).toEqual({ pk: { S: `OUTBOX#${event.id}` }, sk: { S: 'EVENT' } });
    expect(record.dynamodb?.SequenceNumber).toBeTruthy();
  });
});

describe('redrive', () => {
  it('runs each parked record through its consumer and removes it after success', async () => {
    const { memory, removed } = store([parkedRecord(CONSUMERS.notifications, event.id)], {
      [event.id]: outboxItem(event),
    });
    const seen: DynamoDBStreamEvent[] = [];
    const outcomes = await redrive({
      store: memory,
      handlers: {
        [CONSUMERS.notifications]: async (batch) => {
          seen.push(batch);
          return { batchItemFailures: [] };
        },
      },
      region: 'local',
    });
    expect(outcomes.map((o) => o.result)).toEqual(['redriven']);
    expect(seen.map((batch) => batch.Records.map(outboxEvent))).toEqual([[event]]);
    expect(removed).toEqual([`SendNotifications#${event.id}`]);
  });

  it('leaves a record that fails again, by report or by throwing', async () => {
    const { memory, removed } = store(
      [parkedRecord(CONSUMERS.notifications, event.id), parkedRecord(CONSUMERS.webhookFanOut, event.id)],
      { [event.id]: outboxItem(event) },
    );
    const outcomes = await redrive({
      store: memory,
      handlers: {
        [CONSUMERS.notifications]: async (batch) => ({
          batchItemFailures: [{ itemIdentifier: batch.Records[0]?.dynamodb?.SequenceNumber ?? '' }],
        }),
        [CONSUMERS.webhookFanOut]: async () => {
          throw new Error('Throughput exceeded');
        },
      },
      region: 'local',
    });
    expect(outcomes.map((o) => o.result)).toEqual(['failed', 'failed']);
    expect(removed).toEqual([]);
    expect(describeOutcomes(outcomes).at(-1)).toBe('2 parked record(s), 2 left parked');
  });

  it('runs nothing on a dry run, and only the named consumer', async () => {
    const { memory, removed } = store(
      [parkedRecord(CONSUMERS.notifications, event.id), parkedRecord(CONSUMERS.webhookFanOut, event.id)],
      { [event.id]: outboxItem(event) },
    );
    const outcomes = await redrive({
      store: memory,
      handlers: {},
      consumer: CONSUMERS.webhookFanOut,
      dryRun: true,
      region: 'local',
    });
    // No handler is needed to list what would run; an unknown consumer is still named as such.
    expect(outcomes.map((o) => [o.record.consumer, o.result])).toEqual([
      ['DispatchWebhooks', 'unknown-consumer'],
    ]);
    expect(removed).toEqual([]);
  });

  it('removes a parked record whose outbox item has expired: nothing is left to run', async () => {
    const { memory, removed } = store([parkedRecord(CONSUMERS.notifications, event.id)], {});
    const outcomes = await redrive({
      store: memory,
      handlers: { [CONSUMERS.notifications]: async () => ({ batchItemFailures: [] }) },
      region: 'local',
    });
    expect(outcomes.map((o) => o.result)).toEqual(['outbox-gone']);
    expect(removed).toEqual([`SendNotifications#${event.id}`]);
    expect(describeOutcomes(outcomes)[0]).toContain('its outbox item expired');
  });
});

describe('the parking consumers', () => {
  it('park under their function ids and may write only the parked partition for it', () => {
    expect(CONSUMERS).toEqual({
      notifications: NOTIFICATION_FUNCTION.id,
      webhookFanOut: WEBHOOK_FAN_OUT_FUNCTION.id,
    });
    expect(declaredTableAccess(WEBHOOK_FAN_OUT_FUNCTION.id)?.scopedWrites).toContainEqual({
      operation: 'UpdateItem',
      partitions: ['PARKED'],
    });
    expect(declaredTableAccess(NOTIFICATION_FUNCTION.id)?.operations).toContain('UpdateItem');
  });
});
