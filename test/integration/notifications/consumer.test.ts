/**
 * The outbox consumer on DynamoDB Local (real stream records, real delivery marks) and the SES
 * emulator (real SESv2 calls): redelivery, SES outages, a consumer that dies mid-batch and partial
 * batch failures all end with every email in the emulator exactly once; SES refusals that can never
 * succeed are recorded as failed once and never retried; recipients are the members of the org at
 * the time the email is sent.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { changeStage } from '#domain/deals/use-cases/change-stage.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { removeMember } from '#domain/identity/members.ts';
import { type DomainEvent, isMemberEvent } from '#domain/kernel/events.ts';
import { emailChannel } from '#domain/notifications/deliver.ts';
import type { Mailer, NotificationDeps, OutgoingEmail } from '#domain/notifications/ports.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { DynamoDeliveryLog } from '#functions/adapters/dynamo/delivery-log.ts';
import { deliveryKeys, outboxKeys } from '#functions/adapters/dynamo/keys.ts';
import { TTL_ATTRIBUTE } from '#functions/adapters/dynamo/table.ts';
import { FilePublisher } from '#functions/adapters/events/file-publisher.ts';
import { SesMailer } from '#functions/adapters/ses/ses-mailer.ts';
import { getDeps } from '#functions/composition/deps.ts';
import { resetNotificationDeps } from '#functions/composition/notifications.ts';
import { outboxEvent, processOutboxBatch } from '#functions/stream/outbox-batch.ts';
import { handler } from '#functions/stream/send-notifications.ts';
import { notificationSettings, resetNotificationSettings } from '#functions/stream/settings.ts';
import { freePort } from '#infra/local/ports.ts';
import { type SesLocal, startSesLocal } from '#infra/local/ses-local.ts';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller.ts';
import { apiWorld } from '#test/support/api-world.ts';
import { settableClock, type World } from '#test/support/deal-world.ts';
import { CountingMetrics } from '#test/support/memory/notifications.ts';

const APP = 'https://app.example';
const SETTINGS = { appBaseUrl: APP, leaseMs: 60_000, retentionMs: 7 * 24 * 3600_000 };
const QUIET = { info: () => undefined, warn: () => undefined, error: () => undefined };

type Captured = {
  destination: { to: string[] };
  subject: string;
  from: string;
  body: { text?: string; html?: string };
};

let w: World & { tableName: string };
let ses: SesLocal;
let poller: StreamPoller;
let streamed: DynamoDBRecord[] = [];
let eventsFile: string;
let dynamo: DynamoDBClient;
let deadSesEndpoint: string;

beforeAll(async () => {
  w = await apiWorld();
  ses = await startSesLocal({ port: 0 });
  deadSesEndpoint = `http://127.0.0.1:${await freePort()}`;
  eventsFile = join(tmpdir(), `co-sell-events-${randomBytes(6).toString('hex')}.jsonl`);
  Object.assign(process.env, {
    EMAIL_FROM: 'co-sell@host.example',
    APP_BASE_URL: APP,
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
  // The poller only collects the outbox inserts here; each test hands them to the consumer itself.
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
  await w.member(w.other, 'adatum-radmin', ['referrals-admin']);
  await w.member(w.other, 'adatum-de', ['referral-user'], ['DE']);
  await w.member(w.other, 'adatum-fr', ['referral-user'], ['FR']);
});

afterAll(async () => {
  await poller?.stop();
  await ses?.stop();
  dynamo?.destroy();
  resetNotificationDeps();
});

beforeEach(async () => {
  await fetch(`${ses.endpoint}/clear-store`, { method: 'POST' });
  await drain();
});

/** The outbox inserts written since the last call, in stream order. */
const drain = async (): Promise<DynamoDBRecord[]> => {
  streamed = [];
  await poller.pollOnce();
  return streamed;
};

const captured = async (): Promise<Captured[]> =>
  ((await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: Captured[] }).emails;

/** How often each (recipient, subject) reached the emulator. */
const tally = async (): Promise<Record<string, number>> => {
  const counts: Record<string, number> = {};
  for (const email of await captured()) {
    for (const to of email.destination.to) {
      const key = `${to} | ${email.subject}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
};

const eventOf = (record: DynamoDBRecord): DomainEvent => {
  const event = outboxEvent(record);
  if (!event || isMemberEvent(event)) throw new Error('not an outbox insert of a deal event');
  return event;
};

const published = (): string[] => {
  try {
    return readFileSync(eventsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { detail: DomainEvent }).detail.id);
  } catch {
    return [];
  }
};

const outboxTtl = async (eventId: string): Promise<unknown> => {
  const db = createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT });
  const { Item } = await db.send(
    new GetCommand({ TableName: w.tableName, Key: outboxKeys.item(eventId), ConsistentRead: true }),
  );
  return Item?.[TTL_ATTRIBUTE];
};

const ADATUM = ['adatum-admin@adatum.example', 'adatum-de@example.com', 'adatum-radmin@example.com'];
// Fabrikam's deals name Ann on the team, a contact who is no member: only the inviting admin hears.
const FABRIKAM = ['fabrikam-admin@fabrikam.example'];
const invitedSubject = (dealName: string) => `Fabrikam invited you to co-sell: ${dealName}`;

/** A deal of Fabrikam (its admin invites) with Adatum invited: the records of both writes. */
const inviteAdatum = async (dealName: string, extra: string[] = []) => {
  const deal = await w.create(w.partner, { name: dealName });
  await inviteToDeal(getDeps(), w.partner, {
    dealId: deal.id,
    partners: [w.other.orgId, ...extra].map((orgId) => ({ orgId, helpType: 'technical' as const })),
  });
  return { deal, records: await drain() };
};

/** Consumer ports on the real adapters, with the mailer and clock a test chooses. */
const consumerDeps = (mailer: Mailer, clock = settableClock(new Date().toISOString())): NotificationDeps => {
  const { orgs, memberships, deals, comments } = getDeps();
  return {
    clock,
    orgs,
    memberships,
    deals,
    comments,
    mailer,
    events: new FilePublisher(eventsFile),
    deliveries: new DynamoDeliveryLog({
      db: createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT }),
      tableName: w.tableName,
    }),
    metrics: new CountingMetrics(),
  };
};

const liveMailer = () =>
  new SesMailer({ from: 'co-sell@host.example', region: 'local', endpoint: ses.endpoint });

/** Runs a batch the way the event source mapping does: again from the reported record until done. */
const untilDelivered = async (deps: NotificationDeps, records: DynamoDBRecord[], maxAttempts = 10) => {
  let pending = records;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const { batchItemFailures } = await processOutboxBatch(deps, pending, SETTINGS, QUIET);
    if (batchItemFailures.length === 0) return attempt;
    const index = pending.findIndex(
      (record) => record.dynamodb?.SequenceNumber === batchItemFailures[0]?.itemIdentifier,
    );
    pending = pending.slice(index);
  }
  throw new Error(`not delivered after ${maxAttempts} attempts`);
};

describe('the stream handler', () => {
  it('sends each invitation email to the emulator and publishes each event, once, however often the batch comes', async () => {
    const { deal, records } = await inviteAdatum('Handler deal');
    expect(records.map((record) => eventOf(record).type)).toEqual(['deal.created', 'invitation.created']);

    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [...records].reverse() })).toEqual({ batchItemFailures: [] });

    expect(await tally()).toEqual(
      Object.fromEntries(ADATUM.map((to) => [`${to} | ${invitedSubject('Handler deal')}`, 1])),
    );
    const theirs = (await listDeals(getDeps(), w.other, { tab: 'inbound' }, { limit: 100 })).items.find(
      (view) => view.deal.name === 'Handler deal',
    );
    for (const email of await captured()) {
      expect(email.from).toBe('co-sell@host.example');
      expect(email.body.text).toContain(`${APP}/deals/${theirs?.deal.id}`);
      expect(email.body.html).toContain(`${APP}/deals/${theirs?.deal.id}`);
      expect(`${email.body.text}${email.body.html}`).not.toContain(deal.id);
    }
    const ids = records.map((record) => eventOf(record).id);
    expect(published().filter((id) => ids.includes(id))).toEqual(ids);
    for (const id of ids) expect(await outboxTtl(id)).toEqual(expect.any(Number));
  });

  it('ignores records that are not outbox inserts', async () => {
    const { records } = await inviteAdatum('Ignored deal');
    const modified = records.map((record) => ({ ...record, eventName: 'MODIFY' as const }));
    expect(await handler({ Records: modified })).toEqual({ batchItemFailures: [] });
    expect(await captured()).toEqual([]);
  });
});

describe('faults', () => {
  it('SES failing for a while, then recovering: the events are retried and every email goes out exactly once', async () => {
    const { records } = await inviteAdatum('Outage deal');
    const theirs = (await listDeals(getDeps(), w.other, { tab: 'inbound' }, { limit: 100 })).items.find(
      (view) => view.deal.name === 'Outage deal',
    );
    await declineInvitation(getDeps(), w.other, { dealId: theirs!.deal.id, reason: 'not-a-fit' });
    const all = [...records, ...(await drain())];
    const down = consumerDeps(
      new SesMailer({ from: 'x@host.example', region: 'local', endpoint: deadSesEndpoint }),
    );

    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await processOutboxBatch(down, all, SETTINGS, QUIET);
      // deal.created needs no email; the invitation is the first record that cannot finish.
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: all[1]?.dynamodb?.SequenceNumber }]);
    }
    expect(await captured()).toEqual([]);
    expect(await outboxTtl(eventOf(all[1]!).id)).toBeUndefined();
    expect(await outboxTtl(eventOf(all[0]!).id)).toEqual(expect.any(Number));

    await untilDelivered(consumerDeps(liveMailer()), all);
    expect(await tally()).toEqual({
      ...Object.fromEntries(ADATUM.map((to) => [`${to} | ${invitedSubject('Outage deal')}`, 1])),
      ...Object.fromEntries(
        FABRIKAM.map((to) => [`${to} | Adatum declined your invitation: Outage deal`, 1]),
      ),
    });
  });

  it('a consumer that throws after some sends is retried and sends every email exactly once', async () => {
    const { records } = await inviteAdatum('Crash deal');
    const live = liveMailer();
    let sends = 0;
    const crashing: Mailer = {
      send: async (email: OutgoingEmail) => {
        sends += 1;
        if (sends === 3) throw new Error('consumer crashed');
        return live.send(email);
      },
    };
    const first = await processOutboxBatch(consumerDeps(crashing), records, SETTINGS, QUIET);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }]);
    expect(Object.keys(await tally())).toHaveLength(2);

    await untilDelivered(consumerDeps(live), records);
    expect(await tally()).toEqual(
      Object.fromEntries(ADATUM.map((to) => [`${to} | ${invitedSubject('Crash deal')}`, 1])),
    );
  });

  it('a consumer that dies in the middle of a send leaves a claim that blocks until its lease ends, then exactly once', async () => {
    const { records } = await inviteAdatum('Dead deal');
    const live = liveMailer();
    let sends = 0;
    let reachedHang: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => {
      reachedHang = resolve;
    });
    const dying: Mailer = {
      send: (email) => {
        sends += 1;
        if (sends === 2) {
          reachedHang();
          return new Promise(() => undefined); // the process died here: this send never returns
        }
        return live.send(email);
      },
    };
    const clock = settableClock(new Date().toISOString());
    void processOutboxBatch(consumerDeps(dying, clock), records, SETTINGS, QUIET);
    await hung;

    // The retry comes while the dead attempt's claim is still live: nothing is sent twice, the record fails.
    const retry = await processOutboxBatch(consumerDeps(live, clock), records, SETTINGS, QUIET);
    expect(retry.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }]);
    expect(Object.values(await tally()).every((count) => count === 1)).toBe(true);
    expect(Object.keys(await tally())).toHaveLength(2);

    // After the lease, the next retry takes the claim over.
    clock.set(new Date(clock.now().getTime() + SETTINGS.leaseMs + 1).toISOString());
    await untilDelivered(consumerDeps(live, clock), records);
    expect(await tally()).toEqual(
      Object.fromEntries(ADATUM.map((to) => [`${to} | ${invitedSubject('Dead deal')}`, 1])),
    );
  });

  it('reports the first record it could not finish, leaves the later ones for the retry, and the retry completes them', async () => {
    const { deal, records: created } = await inviteAdatum('Partial deal', [w.assessor.orgId]);
    await changeStage(getDeps(), w.partner, { dealId: deal.id, stage: 'qualified' });
    const records = [...created, ...(await drain())];
    expect(records.map((record) => eventOf(record).type)).toEqual([
      'deal.created',
      'invitation.created',
      'invitation.created',
      'deal.updated',
    ]);
    // The second invitation's recipients cannot be reached.
    const failingOrg = eventOf(records[2]!).invitation?.inviteeOrgId ?? '';
    const unreachable = new Set(
      (await getDeps().memberships.listByOrg(failingOrg, { limit: 100 })).items.map((member) => member.email),
    );
    const live = liveMailer();
    const partial: Mailer = {
      send: async (email) => {
        if (unreachable.has(email.to)) throw new Error('mailbox unavailable');
        return live.send(email);
      },
    };

    const result = await processOutboxBatch(consumerDeps(partial), records, SETTINGS, QUIET);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: records[2]?.dynamodb?.SequenceNumber }] });
    const reached = Object.keys(await tally()).map((key) => key.split(' | ')[0]);
    expect(reached.length).toBeGreaterThan(0);
    expect(reached.some((to) => unreachable.has(to!))).toBe(false);
    expect(published()).not.toContain(eventOf(records[3]!).id);

    const before = await tally();
    await untilDelivered(consumerDeps(live), records.slice(2));
    const after = await tally();
    for (const [key, count] of Object.entries(before)) expect(after[key]).toBe(count);
    expect(Object.values(after).every((count) => count === 1)).toBe(true);
    expect(Object.keys(after).filter((key) => unreachable.has(key.split(' | ')[0]!))).toHaveLength(
      unreachable.size,
    );
    expect(published()).toContain(eventOf(records[3]!).id);
  });
});

/**
 * SES as the SDK sees it in AWS: in front of the emulator, it answers SES v2 errors (the
 * `x-amzn-errortype` header the SDK reads) for the addresses a test chooses, and passes everything
 * else on. Counts the send attempts per address.
 */
type SesFront = {
  endpoint: string;
  /** Per address: the SES error it always answers with (a 400 refusal). */
  refuse: Map<string, string>;
  /** Per address: how many more requests answer 503 before it passes them on. */
  outage: Map<string, number>;
  attempts: (address: string) => number;
  /** The `ConfigurationSetName` of every request, in order (undefined when absent). */
  configurationSets: (string | undefined)[];
  stop: () => Promise<void>;
};

const startSesFront = async (emulator: string): Promise<SesFront> => {
  const refuse = new Map<string, string>();
  const outage = new Map<string, number>();
  const attempts = new Map<string, number>();
  const configurationSets: (string | undefined)[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const request = JSON.parse(body) as {
      Destination?: { ToAddresses?: string[] };
      ConfigurationSetName?: string;
    };
    const to = request.Destination?.ToAddresses?.[0] ?? '';
    configurationSets.push(request.ConfigurationSetName);
    attempts.set(to, (attempts.get(to) ?? 0) + 1);
    const refusal = refuse.get(to);
    if (refusal) {
      res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': refusal });
      res.end(JSON.stringify({ message: `${refusal} for ${to}` }));
      return;
    }
    const failuresLeft = outage.get(to) ?? 0;
    if (failuresLeft > 0) {
      outage.set(to, failuresLeft - 1);
      res.writeHead(503, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceUnavailable' });
      res.end(JSON.stringify({ message: 'Service unavailable' }));
      return;
    }
    const passed = await fetch(`${emulator}${req.url}`, {
      method: req.method ?? 'POST',
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
        ),
      ),
      body,
    });
    res.writeHead(passed.status, { 'content-type': 'application/json' });
    res.end(await passed.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refuse,
    outage,
    attempts: (address) => attempts.get(address) ?? 0,
    configurationSets,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

const deliveryMark = async (eventId: string, to: string) => {
  const db = createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT });
  const { Item } = await db.send(
    new GetCommand({
      TableName: w.tableName,
      Key: deliveryKeys.item(eventId, emailChannel(to)),
      ConsistentRead: true,
    }),
  );
  return Item;
};

describe('SES answers that can never succeed, and those that can', () => {
  let front: SesFront;
  const frontMailer = () =>
    new SesMailer({ from: 'co-sell@host.example', region: 'local', endpoint: front.endpoint });

  beforeAll(async () => {
    front = await startSesFront(ses.endpoint);
  });
  afterAll(async () => {
    await front?.stop();
  });

  it.each([
    ['MessageRejected', 'adatum-de@example.com'],
    ['MailFromDomainNotVerifiedException', 'adatum-radmin@example.com'],
    ['BadRequestException', 'adatum-de@example.com'],
  ])('%s is recorded as failed once and never retried; the others are sent', async (code, refused) => {
    front.refuse.clear();
    front.refuse.set(refused, code);
    const { records } = await inviteAdatum(`Refused ${code}`);
    const invitation = eventOf(records[1]!);
    const before = front.attempts(refused);

    // The record is handled: no batch item failure, so the stream does not retry it.
    expect(await processOutboxBatch(consumerDeps(frontMailer()), records, SETTINGS, QUIET)).toEqual({
      batchItemFailures: [],
    });
    // Redelivered anyway (a replay, a retry of an earlier record): the refused send is not repeated.
    expect(await processOutboxBatch(consumerDeps(frontMailer()), records, SETTINGS, QUIET)).toEqual({
      batchItemFailures: [],
    });

    expect(front.attempts(refused) - before).toBe(1);
    expect(await deliveryMark(invitation.id, refused)).toMatchObject({
      state: 'done',
      outcome: 'failed',
      reason: expect.stringMatching(new RegExp(`^${code}: `)),
    });
    const delivered = ADATUM.filter((to) => to !== refused);
    expect(await tally()).toEqual(
      Object.fromEntries(delivered.map((to) => [`${to} | ${invitedSubject(`Refused ${code}`)}`, 1])),
    );
    expect(await deliveryMark(invitation.id, delivered[0]!)).toMatchObject({
      outcome: 'delivered',
      reference: expect.any(String),
    });
    expect(await outboxTtl(invitation.id)).toEqual(expect.any(Number));
  });

  it('a transient failure (5xx beyond the SDK retries) is retried by the stream and then delivered once', async () => {
    front.refuse.clear();
    const flaky = 'adatum-radmin@example.com';
    const { records } = await inviteAdatum('Flaky deal');
    const invitation = eventOf(records[1]!);
    const before = front.attempts(flaky);
    // More 503s than the SDK's own attempts for one send: the first batch cannot finish.
    front.outage.set(flaky, 4);

    const first = await processOutboxBatch(consumerDeps(frontMailer()), records, SETTINGS, QUIET);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }]);
    expect(await deliveryMark(invitation.id, flaky)).toBeUndefined();
    expect(await outboxTtl(invitation.id)).toBeUndefined();

    await untilDelivered(consumerDeps(frontMailer()), records);
    expect(front.attempts(flaky) - before).toBeGreaterThan(4);
    expect(await deliveryMark(invitation.id, flaky)).toMatchObject({ state: 'done', outcome: 'delivered' });
    expect(await tally()).toEqual(
      Object.fromEntries(ADATUM.map((to) => [`${to} | ${invitedSubject('Flaky deal')}`, 1])),
    );
  });
});

describe('the consumer environment', () => {
  it('refuses to run without SES_CONFIGURATION_SET: no email escapes bounce and complaint tracking', async () => {
    const saved = { ...process.env };
    try {
      delete process.env.SES_CONFIGURATION_SET;
      resetNotificationSettings();
      resetNotificationDeps();
      expect(() => notificationSettings()).toThrow('Missing environment variable SES_CONFIGURATION_SET');
    } finally {
      process.env = saved;
      resetNotificationSettings();
      resetNotificationDeps();
    }
  });

  it('sends every email with the configuration set SES_CONFIGURATION_SET names', async () => {
    const front = await startSesFront(ses.endpoint);
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { SES_ENDPOINT: front.endpoint, SES_CONFIGURATION_SET: 'co-sell-dev' });
      resetNotificationSettings();
      resetNotificationDeps();
      const { records } = await inviteAdatum('Configuration set deal');
      expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
      expect(front.configurationSets).toEqual(ADATUM.map(() => 'co-sell-dev'));
    } finally {
      process.env = saved;
      resetNotificationSettings();
      resetNotificationDeps();
      await front.stop();
    }
  });
});

describe('recipients at the time of sending', () => {
  it('a removed inviting user gets no email about the answer; with nobody else on the team a member, the admins do', async () => {
    const inviter = await w.member(w.partner, 'fabrikam-inviter', ['referrals-admin']);
    const deal = await w.create(inviter, {
      name: 'Removed inviter deal',
      team: [
        { name: 'Inviter', email: inviter.email, phone: '1' },
        { name: 'Relay', email: 'relay@elsewhere.example', phone: '2' },
      ],
    });
    const view = await inviteToDeal(getDeps(), inviter, {
      dealId: deal.id,
      partners: [{ orgId: w.other.orgId, helpType: 'technical' }],
    });
    await removeMember(getDeps(), w.partner, { email: inviter.email });
    await acceptInvitation(getDeps(), w.other, {
      dealId: view.deal.participants[w.other.orgId]?.dealId ?? '',
      team: [{ name: 'Ada', email: w.other.email, phone: '1' }],
    });

    await untilDelivered(consumerDeps(liveMailer()), await drain());
    const accepted = 'Adatum accepted your invitation: Removed inviter deal';
    const reached = Object.keys(await tally()).filter((key) => key.endsWith(accepted));
    expect(reached).toEqual([`fabrikam-admin@fabrikam.example | ${accepted}`]);
    const everyone = (await captured()).flatMap((email) => email.destination.to);
    expect(everyone).not.toContain(inviter.email);
    expect(everyone).not.toContain('relay@elsewhere.example');
  });
});
