/**
 * The webhook store on DynamoDB Local: endpoints per org, deliveries newest first, the sparse due
 * index (only pending deliveries, soonest first), and the conditional claim and record that keep
 * two workers from attempting one delivery and let a crashed worker's claim run out.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_QUOTA, type Webhook, type WebhookDelivery } from '#domain/webhooks/model.ts';
import { webhookDeliveryKeys, webhookKeys } from '#functions/adapters/dynamo/keys.ts';
import { TTL_ATTRIBUTE } from '#functions/adapters/dynamo/table.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { DynamoWebhookStore } from '#functions/adapters/dynamo/webhook-store.ts';
import { createTestTable } from '#test/support/test-table.ts';

let table: TableRef;
let store: DynamoWebhookStore;
let sequence = 0;
const ulid = () => `01JWEBHOOK${String(++sequence).padStart(16, '0')}`;

const webhook = (orgId: string, overrides: Partial<Webhook> = {}): Webhook => ({
  id: ulid(),
  orgId,
  url: 'https://hooks.example.com/x',
  events: ['*'],
  status: 'active',
  secret: { sealed: 'c2VhbGVk' },
  createdAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-01T09:00:00.000Z',
  version: 1,
  ...overrides,
});

const delivery = (
  hook: Webhook,
  dueAt: string,
  overrides: Partial<WebhookDelivery> = {},
): WebhookDelivery => {
  const id = ulid();
  return {
    id,
    webhookId: hook.id,
    orgId: hook.orgId,
    eventId: id,
    type: 'deal.created',
    payload: '{"type":"deal.created"}',
    attempt: 0,
    status: 'pending',
    createdAt: dueAt,
    at: dueAt,
    dueAt,
    ...overrides,
  };
};

/** The store's due read on a fresh org's webhook only (the table is shared by this file's tests). */
const dueOf = async (hook: Webhook, before: string) =>
  (await store.dueDeliveries(before, 100)).filter((d) => d.webhookId === hook.id);

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoWebhookStore(table);
});

describe('webhook store (DynamoDB)', () => {
  it("lists an org's endpoints and no other org's; updates only at the version read; removes", async () => {
    const a = webhook('org-a');
    const b = webhook('org-a', { url: 'https://hooks.example.com/b' });
    const other = webhook('org-b');
    for (const hook of [a, b, other]) await store.create(hook, WEBHOOK_QUOTA);
    expect((await store.list('org-a')).map((hook) => hook.id)).toEqual([a.id, b.id]);
    expect(await store.get('org-b', a.id)).toBeUndefined();
    expect(await store.get('org-a', a.id)).toEqual(a);

    const disabled = { ...a, status: 'disabled' as const, version: 2 };
    expect(await store.update(disabled)).toBe('written');
    expect(await store.update({ ...a, url: 'https://late.example.com', version: 2 })).toBe('stale');
    expect(await store.update({ ...other, orgId: 'org-a', version: 2 })).toBe('stale');
    expect((await store.get('org-a', a.id))?.status).toBe('disabled');

    expect(await store.remove('org-b', a.id)).toBe('absent');
    expect(await store.remove('org-a', a.id)).toBe('removed');
    expect((await store.list('org-a')).map((hook) => hook.id)).toEqual([b.id]);
  });

  it('stores sealed secrets under their own attributes and reads the plaintext ones an earlier release wrote', async () => {
    const sealed = webhook('org-sealed', {
      secret: { sealed: 'Y3VycmVudA==' },
      previousSecret: { secret: { sealed: 'cHJldmlvdXM=' }, until: '2026-11-02T09:00:00.000Z' },
    });
    await store.create(sealed, WEBHOOK_QUOTA);
    const raw = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: webhookKeys.item(sealed.orgId, sealed.id) }),
    );
    expect(raw.Item).toMatchObject({
      sealedSecret: 'Y3VycmVudA==',
      previousSecret: { sealed: 'cHJldmlvdXM=', until: '2026-11-02T09:00:00.000Z' },
    });
    expect(raw.Item).not.toHaveProperty('secret');
    expect(await store.get(sealed.orgId, sealed.id)).toEqual(sealed);

    // The earlier release's item: `secret` and `previousSecret.secret` in plaintext.
    const legacy = webhook('org-sealed');
    const { secret: _secret, ...rest } = legacy;
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...webhookKeys.item(legacy.orgId, legacy.id),
          ...rest,
          secret: 'whsec_bGVnYWN5',
          previousSecret: { secret: 'whsec_b2xkZXI=', until: '2026-11-02T09:00:00.000Z' },
          type: 'Webhook',
        },
      }),
    );
    expect(await store.get(legacy.orgId, legacy.id)).toEqual({
      ...legacy,
      secret: { plaintext: 'whsec_bGVnYWN5' },
      previousSecret: { secret: { plaintext: 'whsec_b2xkZXI=' }, until: '2026-11-02T09:00:00.000Z' },
    });
    // Sealing it replaces the plaintext attributes.
    await store.update({ ...legacy, version: 2 });
    const resealed = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: webhookKeys.item(legacy.orgId, legacy.id) }),
    );
    expect(JSON.stringify(resealed.Item)).not.toContain('whsec_');
  });

  const counterOf = async (orgId: string) =>
    (
      await table.db.send(
        new GetCommand({ TableName: table.tableName, Key: webhookKeys.counter(orgId), ConsistentRead: true }),
      )
    ).Item?.count;

  it('counts endpoints written before the counter existed, then holds the quota and counts deletes', async () => {
    // Endpoints stored without a counter, as before counters existed (and secrets were sealed).
    const legacy = [webhook('org-legacy'), webhook('org-legacy'), webhook('org-legacy')];
    for (const hook of legacy) {
      await table.db.send(
        new PutCommand({
          TableName: table.tableName,
          Item: {
            ...webhookKeys.item(hook.orgId, hook.id),
            ...hook,
            secret: 'whsec_c2VjcmV0',
            type: 'Webhook',
          },
        }),
      );
    }
    const quota = { limit: 4 };
    expect(await store.create(webhook('org-legacy'), quota)).toBe('written');
    expect(await counterOf('org-legacy')).toBe(4);
    expect(await store.create(webhook('org-legacy'), quota)).toBe('limit-reached');
    expect(await store.list('org-legacy')).toHaveLength(4);

    expect(await store.remove('org-legacy', legacy[0]?.id ?? '')).toBe('removed');
    expect(await counterOf('org-legacy')).toBe(3);
    expect(await store.remove('org-legacy', legacy[0]?.id ?? '')).toBe('absent');
    expect(await counterOf('org-legacy')).toBe(3);
    expect(await store.create(webhook('org-legacy'), quota)).toBe('written');
    expect(await store.create(webhook('org-legacy'), quota)).toBe('limit-reached');
  });

  it('lets no number of concurrent creates pass the quota, counting from nothing', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => store.create(webhook('org-crowd'), WEBHOOK_QUOTA)),
    );
    const written = outcomes.filter((outcome) => outcome === 'written').length;
    // Lost races answer `conflict` (the domain tries them again); none passes the limit.
    expect(written).toBeLessThanOrEqual(WEBHOOK_QUOTA.limit);
    expect(written).toBeGreaterThan(0);
    expect(await store.list('org-crowd')).toHaveLength(written);
    expect(await counterOf('org-crowd')).toBe(written);
  });

  it('adds a delivery once, keeps its event type, and lists deliveries newest first, paged', async () => {
    const hook = webhook('org-c');
    const first = delivery(hook, '2026-11-01T09:00:00.000Z', { type: 'invitation.received' });
    const second = delivery(hook, '2026-11-01T09:01:00.000Z');
    const third = delivery(hook, '2026-11-01T09:02:00.000Z');
    for (const d of [first, second, third]) expect(await store.addDelivery(d)).toBe('written');
    expect(await store.addDelivery(first)).toBe('exists');
    expect(await store.getDelivery(hook.id, first.id)).toEqual(first);

    const page = await store.listDeliveries(hook.id, { limit: 2 });
    expect(page.items.map((d) => d.id)).toEqual([third.id, second.id]);
    const rest = await store.listDeliveries(hook.id, {
      limit: 2,
      ...(page.next ? { after: page.next } : {}),
    });
    expect(rest.items.map((d) => d.id)).toEqual([first.id]);
    expect(rest.items[0]?.type).toBe('invitation.received');

    const { Item } = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: webhookDeliveryKeys.item(hook.id, first.id) }),
    );
    expect(Item?.[TTL_ATTRIBUTE]).toBeGreaterThan(Date.parse(first.at) / 1000);
  });

  it('finds due pending deliveries soonest first, and only those', async () => {
    const hook = webhook('org-d');
    const later = delivery(hook, '2026-11-01T10:05:00.000Z');
    const sooner = delivery(hook, '2026-11-01T10:01:00.000Z');
    const done = delivery(hook, '2026-11-01T10:00:00.000Z', { status: 'succeeded' });
    const future = delivery(hook, '2026-11-01T11:00:00.000Z');
    for (const d of [later, sooner, done, future]) await store.addDelivery(d);
    expect((await dueOf(hook, '2026-11-01T10:05:00.000Z')).map((d) => d.id)).toEqual([sooner.id, later.id]);
  });

  it('lets one of two claims win, moves the due time to the lease, and records only under the claim', async () => {
    const hook = webhook('org-e');
    const due = delivery(hook, '2026-11-01T12:00:00.000Z');
    await store.addDelivery(due);
    const lease = '2026-11-01T12:00:30.000Z';
    const [one, two] = await Promise.all([store.claim(due, lease), store.claim(due, lease)]);
    expect([one, two].filter(Boolean)).toHaveLength(1);
    const claimed = (one ?? two)!;
    expect(await dueOf(hook, '2026-11-01T12:00:10.000Z')).toEqual([]);
    // A worker that dies mid-attempt: the delivery is due again at the lease's end.
    expect((await dueOf(hook, lease)).map((d) => d.dueAt)).toEqual([lease]);

    // A record under a claim that is no longer current (someone else took it over) changes nothing.
    expect(await store.record(due, { ...due, status: 'succeeded' })).toBe('stale');
    const retry = '2026-11-01T12:02:00.000Z';
    expect(await store.record(claimed, { ...claimed, attempt: 1, responseStatus: 500, dueAt: retry })).toBe(
      'written',
    );
    expect((await dueOf(hook, retry)).map((d) => [d.attempt, d.responseStatus])).toEqual([[1, 500]]);

    const { dueAt: _dueAt, ...rest } = claimed;
    const reclaimed = (await store.claim(
      { ...claimed, attempt: 1, dueAt: retry },
      '2026-11-01T12:02:30.000Z',
    ))!;
    expect(
      await store.record(reclaimed, { ...rest, attempt: 2, status: 'succeeded', responseStatus: 200 }),
    ).toBe('written');
    expect(await dueOf(hook, '2026-12-01T00:00:00.000Z')).toEqual([]);
    expect(await store.getDelivery(hook.id, due.id)).toMatchObject({ status: 'succeeded', attempt: 2 });
  });
});
