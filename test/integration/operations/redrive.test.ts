/**
 * Parking and re-driving outbox events on DynamoDB Local: a stream consumer that fails on a record
 * parks its event; `redrive` (what `npm run ops -- redrive` runs) hands the outbox item to the same
 * handler as a stream record, delivers it once and removes the parked item; a second run finds
 * nothing to do.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import type { Deps } from '#domain/deps.ts';
import { type DomainEvent, isMemberEvent } from '#domain/kernel/events.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { DynamoParkedRecords } from '#functions/adapters/dynamo/parked-records.ts';
import { FilePublisher } from '#functions/adapters/events/file-publisher.ts';
import { getDeps, overrideDeps } from '#functions/composition/deps.ts';
import { overrideNotificationDeps, resetNotificationDeps } from '#functions/composition/notifications.ts';
import { handler as fanOutHandler } from '#functions/stream/dispatch-webhooks.ts';
import { outboxEvent } from '#functions/stream/outbox-batch.ts';
import { CONSUMERS } from '#functions/stream/parking.ts';
import { handler as notificationHandler } from '#functions/stream/send-notifications.ts';
import { resetNotificationSettings } from '#functions/stream/settings.ts';
import { type SesLocal, startSesLocal } from '#infra/local/ses-local.ts';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller.ts';
import { redrive } from '#infra/scripts/redrive.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';

let w: World & { tableName: string };
let ses: SesLocal;
let poller: StreamPoller;
let dynamo: DynamoDBClient;
let streamed: DynamoDBRecord[] = [];
let eventsFile: string;
let parked: DynamoParkedRecords;

const HANDLERS = {
  [CONSUMERS.notifications]: notificationHandler,
  [CONSUMERS.webhookFanOut]: fanOutHandler,
};

beforeAll(async () => {
  w = await apiWorld();
  ses = await startSesLocal({ port: 0 });
  eventsFile = join(tmpdir(), `co-sell-redrive-${randomBytes(6).toString('hex')}.jsonl`);
  Object.assign(process.env, {
    EMAIL_FROM: 'co-sell@host.example',
    APP_BASE_URL: 'https://app.example',
    SES_CONFIGURATION_SET: 'co-sell-test',
    SES_ENDPOINT: ses.endpoint,
    EVENTS_FILE: eventsFile,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
  });
  resetNotificationSettings();
  resetNotificationDeps();
  dynamo = new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  poller = await startStreamPoller({
    dynamo,
    endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    tableName: w.tableName,
    autoStart: false,
    batchSize: 1000,
    handler: async (event) => {
      streamed.push(...event.Records);
      return { batchItemFailures: [] };
    },
  });
  parked = new DynamoParkedRecords({
    db: createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT }),
    tableName: w.tableName,
  });
  await poller.pollOnce();
});

afterAll(async () => {
  await poller?.stop();
  await ses?.stop();
  dynamo?.destroy();
  resetNotificationDeps();
});

/** The outbox inserts written since the last call. */
const drain = async (): Promise<DynamoDBRecord[]> => {
  streamed = [];
  await poller.pollOnce();
  return streamed;
};

/** Fabrikam invites Adatum to a new deal: the `invitation.created` record (Adatum's admin is emailed). */
const invitation = async (dealName: string): Promise<{ record: DynamoDBRecord; event: DomainEvent }> => {
  const deal = await w.create(w.partner, { name: dealName });
  await drain();
  await inviteToDeal(getDeps(), w.partner, {
    dealId: deal.id,
    partners: [{ orgId: w.other.orgId, helpType: 'technical' as const }],
  });
  const records = await drain();
  const record = records.find((r) => outboxEvent(r)?.type === 'invitation.created');
  const event = record && outboxEvent(record);
  if (!record || !event || isMemberEvent(event)) throw new Error('no invitation.created outbox record');
  return { record, event };
};

const emailsAbout = async (dealName: string): Promise<string[]> => {
  const { emails } = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
    emails: { subject: string; destination: { to: string[] } }[];
  };
  return emails.filter((email) => email.subject.includes(dealName)).flatMap((email) => email.destination.to);
};

const publishedCount = (eventId: string): number => {
  try {
    return readFileSync(eventsFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes(`"id":"${eventId}"`)).length;
  } catch {
    return 0;
  }
};

describe('a notification the consumer failed on', () => {
  it('is parked, re-driven once and removed; a second redrive does nothing', async () => {
    const { record, event } = await invitation('Parked notification deal');
    overrideNotificationDeps({
      events: {
        publish: async () => {
          throw new Error('EventBridge is unavailable');
        },
      },
    });
    const failed = await notificationHandler({ Records: [record] });
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb?.SequenceNumber }]);
    // Lambda retries the record: the same parked item counts the attempts.
    await notificationHandler({ Records: [record] });

    const [parkedRecord, ...others] = await parked.list(CONSUMERS.notifications);
    expect(others).toEqual([]);
    expect(parkedRecord).toMatchObject({
      consumer: 'SendNotifications',
      eventId: event.id,
      attempts: 2,
      error: expect.stringContaining('EventBridge is unavailable'),
    });
    expect(publishedCount(event.id)).toBe(0);

    overrideNotificationDeps({ events: new FilePublisher(eventsFile) });
    const dryRun = await redrive({ store: parked, handlers: HANDLERS, dryRun: true, region: 'local' });
    expect(dryRun.map((o) => o.result)).toEqual(['would-redrive']);
    expect(await parked.list()).toHaveLength(1);

    const first = await redrive({ store: parked, handlers: HANDLERS, region: 'local' });
    expect(first.map((o) => [o.record.eventId, o.result])).toEqual([[event.id, 'redriven']]);
    expect(publishedCount(event.id)).toBe(1);
    expect(await emailsAbout('Parked notification deal')).toEqual(['adatum-admin@adatum.example']);
    expect(await parked.list()).toEqual([]);

    expect(await redrive({ store: parked, handlers: HANDLERS, region: 'local' })).toEqual([]);
    expect(publishedCount(event.id)).toBe(1);
    expect(await emailsAbout('Parked notification deal')).toHaveLength(1);
  });

  it('stays parked when it fails again', async () => {
    const { record, event } = await invitation('Still failing deal');
    const broken = {
      publish: async () => {
        throw new Error('EventBridge is unavailable');
      },
    };
    overrideNotificationDeps({ events: broken });
    await notificationHandler({ Records: [record] });

    const outcomes = await redrive({ store: parked, handlers: HANDLERS, region: 'local' });
    expect(outcomes.map((o) => [o.record.eventId, o.result])).toEqual([[event.id, 'failed']]);
    expect((await parked.list()).map((r) => [r.eventId, r.attempts])).toEqual([[event.id, 2]]);

    overrideNotificationDeps({ events: new FilePublisher(eventsFile) });
    const retried = await redrive({ store: parked, handlers: HANDLERS, region: 'local' });
    expect(retried.map((o) => o.result)).toEqual(['redriven']);
    expect(await parked.list()).toEqual([]);
  });
});

describe('a webhook fan-out the consumer failed on', () => {
  it('is parked under its consumer and re-driven by --consumer alone', async () => {
    const { record, event } = await invitation('Parked fan-out deal');
    const webhooks = getDeps().webhooks;
    const failing: Deps['webhooks'] = Object.assign(Object.create(webhooks) as Deps['webhooks'], {
      list: async () => {
        throw new Error('Throughput exceeded');
      },
    });
    overrideDeps({ webhooks: failing });
    const failed = await fanOutHandler({ Records: [record] });
    expect(failed.batchItemFailures).toHaveLength(1);
    expect(await parked.list(CONSUMERS.webhookFanOut)).toMatchObject([
      { consumer: 'DispatchWebhooks', eventId: event.id, attempts: 1, error: 'Throughput exceeded' },
    ]);
    expect(await parked.list(CONSUMERS.notifications)).toEqual([]);

    overrideDeps({ webhooks });
    const outcomes = await redrive({
      store: parked,
      handlers: HANDLERS,
      consumer: CONSUMERS.webhookFanOut,
      region: 'local',
    });
    expect(outcomes.map((o) => [o.record.consumer, o.result])).toEqual([['DispatchWebhooks', 'redriven']]);
    expect(await parked.list()).toEqual([]);
  });
});
