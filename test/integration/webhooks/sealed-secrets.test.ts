/**
 * Signing secrets at rest, through the handlers on DynamoDB Local and the KMS stand-in (the SDK's
 * own calls, as in the cloud): the endpoint's item never holds the secret, only KMS's ciphertext
 * bound to the endpoint; the delivery job signs with what it decrypts, and the receiver verifies;
 * a ciphertext moved into another endpoint's item decrypts for nothing; an item an earlier release
 * wrote with the plaintext secret is still signed for, and sealed by its next edit.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook as Verifier } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNREADABLE_SECRET, workDeliveries } from '#domain/webhooks/dispatch.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { webhookKeys } from '#functions/adapters/dynamo/keys.ts';
import { getDeps } from '#functions/composition/deps.ts';
import {
  overrideWebhookPorts,
  resetWebhookPorts,
  webhookDeliveryDeps,
} from '#functions/composition/webhooks.ts';
import { handler as createWebhook } from '#functions/http/webhooks/create.ts';
import { handler as rotateSecret } from '#functions/http/webhooks/rotate-secret.ts';
import { handler as testWebhook } from '#functions/http/webhooks/test.ts';
import { handler as updateWebhook } from '#functions/http/webhooks/update.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';

type Received = { url: string; headers: Record<string, string>; body: string };

let w: World & { tableName: string };
let received: Received[];
const db = () => createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT as string });

beforeAll(async () => {
  w = await apiWorld();
  process.env.APP_BASE_URL = 'https://console.example';
  received = [];
  overrideWebhookPorts({
    transport: {
      refusal: async () => undefined,
      post: async (url, headers, body) => {
        received.push({ url, headers, body });
        return { status: 204 };
      },
    },
    mailer: { send: async () => ({ outcome: 'sent' }) },
  });
});
afterAll(() => resetWebhookPorts());

const rawItem = async (orgId: string, id: string) =>
  (await db().send(new GetCommand({ TableName: w.tableName, Key: webhookKeys.item(orgId, id) }))).Item!;

/** The secret and its random part: neither may appear anywhere in a stored item. */
const expectAbsent = (item: Record<string, unknown>, secret: string) => {
  const text = JSON.stringify(item);
  expect(text).not.toContain(secret);
  expect(text).not.toContain(secret.slice('whsec_'.length));
};

const register = async (url: string) => {
  const created = await invoke(createWebhook, {
    route: 'POST /v1/webhooks',
    sub: w.partner.sub,
    body: { url, events: ['*'] },
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; secret: string };
};

/** Queues a test delivery to the endpoint and runs one sweep of the delivery job: what it received. */
const deliverTest = async (id: string, url: string) => {
  const queued = await invoke(testWebhook, {
    route: 'POST /v1/webhooks/{id}/test',
    sub: w.partner.sub,
    params: { id },
  });
  expect(queued.status).toBe(202);
  received = [];
  await workDeliveries(
    webhookDeliveryDeps(),
    { windowMs: 0, pollMs: 0, concurrency: 4, batchSize: 100 },
    { now: () => 0, sleep: async () => undefined },
  );
  return {
    deliveryId: (queued.body as { deliveryId: string }).deliveryId,
    sent: received.filter((r) => r.url === url),
  };
};

const verifies = (secret: string, sent: Received) => {
  try {
    new Verifier(secret).verify(sent.body, sent.headers);
    return true;
  } catch {
    return false;
  }
};

describe('sealed webhook signing secrets (DynamoDB Local, KMS stand-in)', () => {
  it('stores no trace of the secret, and deliveries signed with it verify', async () => {
    const url = 'https://receiver.example/sealed';
    const { id, secret } = await register(url);
    const item = await rawItem(w.partner.orgId, id);
    expectAbsent(item, secret);
    expect(item.sealedSecret).toEqual(expect.any(String));
    expect(item).not.toHaveProperty('secret');

    const { sent } = await deliverTest(id, url);
    expect(sent).toHaveLength(1);
    expect(verifies(secret, sent[0]!)).toBe(true);

    const rotated = await invoke(rotateSecret, {
      route: 'POST /v1/webhooks/{id}/rotate-secret',
      sub: w.partner.sub,
      params: { id },
    });
    expect(rotated.status).toBe(200);
    const newSecret = (rotated.body as { secret: string }).secret;
    const afterRotation = await rawItem(w.partner.orgId, id);
    expectAbsent(afterRotation, secret);
    expectAbsent(afterRotation, newSecret);
    const { sent: both } = await deliverTest(id, url);
    expect(verifies(newSecret, both[0]!)).toBe(true);
    expect(verifies(secret, both[0]!)).toBe(true);
  });

  it("signs nothing with a ciphertext moved into another endpoint's item", async () => {
    const source = await register('https://receiver.example/source');
    const targetUrl = 'https://receiver.example/target';
    const target = await register(targetUrl);
    const { sealedSecret } = await rawItem(w.partner.orgId, source.id);
    await db().send(
      new UpdateCommand({
        TableName: w.tableName,
        Key: webhookKeys.item(w.partner.orgId, target.id),
        UpdateExpression: 'SET sealedSecret = :moved',
        ExpressionAttributeValues: { ':moved': sealedSecret },
      }),
    );

    const { deliveryId, sent } = await deliverTest(target.id, targetUrl);
    expect(sent).toEqual([]);
    expect(await getDeps().webhooks.getDelivery(target.id, deliveryId)).toMatchObject({
      status: 'pending',
      attempt: 1,
      error: UNREADABLE_SECRET,
    });
  });

  it('signs with the plaintext secret an earlier release stored, and seals it at the next edit', async () => {
    const url = 'https://receiver.example/legacy';
    const { id } = await register(url);
    const legacySecret = `whsec_${Buffer.from('an earlier release kept this in plaintext').toString('base64')}`;
    const { sealedSecret: _sealed, ...item } = await rawItem(w.partner.orgId, id);
    await db().send(new PutCommand({ TableName: w.tableName, Item: { ...item, secret: legacySecret } }));

    const before = await deliverTest(id, url);
    expect(before.sent).toHaveLength(1);
    expect(verifies(legacySecret, before.sent[0]!)).toBe(true);

    const edited = await invoke(updateWebhook, {
      route: 'PATCH /v1/webhooks/{id}',
      sub: w.partner.sub,
      params: { id },
      body: { events: ['deal.created'] },
    });
    expect(edited.status).toBe(200);
    const sealed = await rawItem(w.partner.orgId, id);
    expectAbsent(sealed, legacySecret);
    expect(sealed.sealedSecret).toEqual(expect.any(String));

    const after = await deliverTest(id, url);
    expect(verifies(legacySecret, after.sent[0]!)).toBe(true);
  });
});
