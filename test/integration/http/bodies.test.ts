/**
 * What a route does with a body it did not ask for, on DynamoDB Local through the real handlers:
 * JSON nested deeper than the API allows is a 400 on every route (it once overflowed the stack of
 * the Idempotency-Key fingerprint on the routes that take no body: a 500), and a route that takes no
 * body refuses one that says anything, before it changes anything.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as createDeal } from '#functions/http/deals/create.ts';
import { MAX_BODY_DEPTH } from '#functions/http/middleware/json-body.ts';
import { handler as createWebhook } from '#functions/http/webhooks/create.ts';
import { handler as deleteWebhook } from '#functions/http/webhooks/delete.ts';
import { handler as deliveries } from '#functions/http/webhooks/deliveries.ts';
import { handler as redeliver } from '#functions/http/webhooks/redeliver.ts';
import { handler as testWebhook } from '#functions/http/webhooks/test.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';
import { expectProblem } from '#test/support/problem.ts';

let w: World & { tableName: string };
let webhookId: string;
beforeAll(async () => {
  w = await apiWorld();
  const created = await invoke(createWebhook, {
    route: 'POST /v1/webhooks',
    sub: w.partner.sub,
    body: { url: 'https://8.8.8.8/hooks/bodies', events: ['*'] },
  });
  expect(created.status).toBe(201);
  webhookId = created.body.id;
});

/** `{"a":{"a":…}}` with `levels` objects. */
const nested = (levels: number): string => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
/** `[[[…]]]` with `levels` arrays: the most levels 64 KiB holds. */
const deepArrays = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

let sequence = 0;
const sendTest = (rawBody?: string) =>
  invoke(testWebhook, {
    route: 'POST /v1/webhooks/{id}/test',
    sub: w.partner.sub,
    params: { id: webhookId },
    headers: { 'Idempotency-Key': `bodies-${++sequence}` },
    ...(rawBody === undefined ? {} : { rawBody }),
  });

const queuedDeliveries = async (): Promise<number> => {
  const page = await invoke(deliveries, {
    route: 'GET /v1/webhooks/{id}/deliveries',
    sub: w.partner.sub,
    params: { id: webhookId },
    query: { limit: '100' },
  });
  expect(page.status).toBe(200);
  return page.body.items.length;
};

describe('bodies nested too deeply', () => {
  it.each([
    ['objects', nested(10_000)],
    ['arrays', deepArrays(30_000)],
  ])(
    'refuses %s nested far too deeply on a route that takes no body, with an Idempotency-Key (400)',
    async (_what, body) => {
      const answer = await sendTest(body);
      expectProblem(answer, 400, 'body-too-deep');
      expect(answer.body.detail).toBe(
        `The body nests objects and arrays more than ${MAX_BODY_DEPTH} levels deep; no request of this API needs that many.`,
      );
    },
  );

  it('refuses them on the redeliver route and on a route with a body schema too', async () => {
    expectProblem(
      await invoke(redeliver, {
        route: 'POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
        sub: w.partner.sub,
        params: { id: webhookId, deliveryId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' },
        headers: { 'Idempotency-Key': 'bodies-redeliver' },
        rawBody: nested(5_000),
      }),
      400,
      'body-too-deep',
    );
    expectProblem(
      await invoke(createDeal, {
        route: 'POST /v1/deals',
        sub: w.partner.sub,
        headers: { 'Idempotency-Key': 'bodies-deal' },
        rawBody: `{"name":"x","customer":${nested(MAX_BODY_DEPTH)}}`,
      }),
      400,
      'body-too-deep',
    );
  });

  it(`takes ${MAX_BODY_DEPTH} levels to the schema, which then judges the fields`, async () => {
    const answer = await invoke(createDeal, {
      route: 'POST /v1/deals',
      sub: w.partner.sub,
      rawBody: `{"name":"x","customer":${nested(MAX_BODY_DEPTH - 1)}}`,
    });
    expectProblem(answer, 400);
    expect(answer.body.code).not.toBe('body-too-deep');
    expect(answer.body.errors.length).toBeGreaterThan(0);
  });
});

describe('routes that take no body', () => {
  it('refuses a body that says anything, and queues nothing', async () => {
    const before = await queuedDeliveries();
    for (const body of ['{"event":"deal.created"}', '[]', '"ping"', '1', nested(MAX_BODY_DEPTH)]) {
      const answer = await sendTest(body);
      expectProblem(answer, 400, 'body-not-allowed');
      expect(answer.body.detail).toBe('This request takes no body; send it without one.');
    }
    expect(await queuedDeliveries()).toBe(before);
  });

  it('takes none, or an empty object', async () => {
    expect((await sendTest()).status).toBe(202);
    expect((await sendTest('{}')).status).toBe(202);
  });

  it('refuses a body on a DELETE too, and deletes nothing', async () => {
    const refused = await invoke(deleteWebhook, {
      route: 'DELETE /v1/webhooks/{id}',
      sub: w.partner.sub,
      params: { id: webhookId },
      rawBody: '{"really":true}',
    });
    expectProblem(refused, 400, 'body-not-allowed');
    expect(await queuedDeliveries()).toBeGreaterThan(0);
  });
});
