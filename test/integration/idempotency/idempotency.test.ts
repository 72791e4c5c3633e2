import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { updateMember } from '#domain/identity/members.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { idempotencyKeys } from '#functions/adapters/dynamo/keys.ts';
import { epochSeconds } from '#functions/adapters/dynamo/table.ts';
import { getDeps } from '#functions/composition/deps.ts';
import { handler as changeStage } from '#functions/http/deals/change-stage.ts';
import { handler as close } from '#functions/http/deals/close.ts';
import { handler as create } from '#functions/http/deals/create.ts';
import { handler as getDeal } from '#functions/http/deals/get.ts';
import { handler as history } from '#functions/http/deals/history.ts';
import { handler as list } from '#functions/http/deals/list.ts';
import { handler as createCustomer } from '#functions/http/directory/create-customer.ts';
import { handler as createSolution } from '#functions/http/directory/create-solution.ts';
import { handler as createWebhook } from '#functions/http/webhooks/create.ts';
import { handler as deleteWebhook } from '#functions/http/webhooks/delete.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke, seenByClient } from '#test/support/http.ts';
import { expectProblem } from '#test/support/problem.ts';

let w: World & { tableName: string };
beforeAll(async () => {
  w = await apiWorld();
});

let sequence = 0;
/** A create body with a name no other test uses, so deals can be counted by name. */
const uniqueBody = () => {
  const input = w.input({ name: `Idempotent deal ${++sequence}` });
  return { ...input, customer: { ...input.customer, consentToShareWithHost: false } };
};

const post = (sub: string, body: unknown, key?: string) =>
  invoke(create, {
    route: 'POST /v1/deals',
    sub,
    body,
    ...(key === undefined ? {} : { headers: { 'Idempotency-Key': key } }),
  });

const dealsNamed = async (sub: string, name: string): Promise<number> => {
  const page = await invoke(list, { route: 'GET /v1/deals', sub, query: { view: 'outbound', limit: '100' } });
  expect(page.status).toBe(200);
  return page.body.items.filter((deal: { name: string }) => deal.name === name).length;
};

describe('Idempotency-Key on POST routes, on DynamoDB Local through the real handlers', () => {
  it('answers a repeated request with the first response (status, headers, body) and creates once', async () => {
    const body = uniqueBody();
    const first = await post(w.partner.sub, body, 'replay-1');
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // Same body with other key order and formatting is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await post(w.partner.sub, reordered, 'replay-1');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await dealsNamed(w.partner.sub, body.name)).toBe(1);
  });

  it('stores the record in the single table with its entity type and a 24-hour TTL', async () => {
    await post(w.partner.sub, uniqueBody(), 'stored-1');
    const db = createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT as string });
    const { Item } = await db.send(
      new GetCommand({
        TableName: w.tableName,
        Key: idempotencyKeys.item(w.partner.orgId, w.partner.sub, 'stored-1'),
      }),
    );
    const now = epochSeconds(getDeps().clock.now());
    expect(Item).toMatchObject({ type: 'IdempotencyRecord', state: 'completed', ttl: now + 24 * 60 * 60 });
    expect(Item?.response.statusCode).toBe(201);
  });

  it('refuses the same key with a different body with 422 and does nothing', async () => {
    const body = uniqueBody();
    expect((await post(w.partner.sub, body, 'reuse-1')).status).toBe(201);
    const other = { ...body, name: `${body.name} (changed)` };
    expectProblem(await post(w.partner.sub, other, 'reuse-1'), 422, 'idempotency-key-reused');
    expect(await dealsNamed(w.partner.sub, other.name)).toBe(0);
  });

  it('refuses the same key on another route with 422', async () => {
    expect((await post(w.partner.sub, uniqueBody(), 'cross-route')).status).toBe(201);
    const response = await invoke(createCustomer, {
      route: 'POST /v1/customers',
      sub: w.partner.sub,
      body: { name: 'Cross route customer', country: 'DE', address: 'Berlin' },
      headers: { 'Idempotency-Key': 'cross-route' },
    });
    expectProblem(response, 422, 'idempotency-key-reused');
  });

  it('lets concurrent duplicates have exactly one effect; the others replay or get 409 request-in-progress', async () => {
    const body = uniqueBody();
    const responses = await Promise.all(Array.from({ length: 8 }, () => post(w.partner.sub, body, 'race-1')));
    const created = responses.filter((r) => r.status === 201 && !r.headers['idempotent-replayed']);
    expect(created).toHaveLength(1);
    for (const response of responses) {
      if (response.status === 201) expect(response.body).toEqual(created[0]?.body);
      else expectProblem(response, 409, 'request-in-progress');
    }
    expect(await dealsNamed(w.partner.sub, body.name)).toBe(1);
    // Once the first finished, a retry gets its response.
    const retry = await post(w.partner.sub, body, 'race-1');
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(created[0]?.body.id);
  });

  it('scopes keys to the caller: another org using the same key gets its own effect', async () => {
    const mine = await post(w.partner.sub, uniqueBody(), 'shared-key');
    const input = w.input({ name: 'Other org deal', solutions: [w.hostSolution.id] });
    const theirs = await post(
      w.other.sub,
      { ...input, customer: { ...input.customer, consentToShareWithHost: false } },
      'shared-key',
    );
    expect(mine.status).toBe(201);
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.orgId).toBe(w.other.orgId);
  });

  it('accepts keys of 1 to 128 characters; longer or empty is a 400 that writes nothing', async () => {
    const body = uniqueBody();
    for (const key of ['k'.repeat(129), '']) {
      const response = await post(w.partner.sub, body, key);
      expectProblem(response, 400, 'validation');
      expect(response.body.errors).toEqual([{ path: 'header.Idempotency-Key', message: expect.any(String) }]);
    }
    expect(await dealsNamed(w.partner.sub, body.name)).toBe(0);
    expect((await post(w.partner.sub, body, 'k'.repeat(128))).status).toBe(201);
    expect((await post(w.partner.sub, uniqueBody(), 'k')).status).toBe(201);
  });

  it('keeps no record for a rejected or failed request, so the key stays free', async () => {
    const invalid = await post(w.partner.sub, { ...uniqueBody(), name: '' }, 'free-1');
    expectProblem(invalid, 400, 'validation');
    const failed = await post(
      w.partner.sub,
      { ...uniqueBody(), customer: { id: 'no-such-customer' } },
      'free-1',
    );
    expect(failed.status).toBeGreaterThanOrEqual(400);
    expect(failed.status).toBeLessThan(500);
    const body = uniqueBody();
    const response = await post(w.partner.sub, body, 'free-1');
    expect(response.status).toBe(201);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
  });

  it('forgets a key after 24 hours', async () => {
    const body = uniqueBody();
    const first = await post(w.partner.sub, body, 'day-1');
    w.setNow(new Date(getDeps().clock.now().getTime() + 23 * 60 * 60 * 1000).toISOString());
    expect((await post(w.partner.sub, body, 'day-1')).headers['idempotent-replayed']).toBe('true');
    w.setNow(new Date(getDeps().clock.now().getTime() + 2 * 60 * 60 * 1000).toISOString());
    const later = await post(w.partner.sub, { ...body, name: `${body.name} next day` }, 'day-1');
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
  });

  it('ignores the header without side effects when absent: each request creates', async () => {
    const body = uniqueBody();
    await post(w.partner.sub, body);
    await post(w.partner.sub, body);
    expect(await dealsNamed(w.partner.sub, body.name)).toBe(2);
  });
});

describe('An Idempotency-Key never lets anyone see or do more than without it', () => {
  const withKey = (key: string) => ({ headers: { 'Idempotency-Key': key } });
  const stage = (sub: string, dealId: string, key?: string) =>
    invoke(changeStage, {
      route: 'POST /v1/deals/{id}/stage',
      sub,
      params: { id: dealId },
      body: { stage: 'qualified' },
      ...(key ? withKey(key) : {}),
    });
  /** Everything of an answer a client sees, except the request id. */

  it('scopes keys to the user: a referral-user replaying an admin’s key gets its own 404, not the deal', async () => {
    const outsider = await w.member(w.partner, `fr-user-${++sequence}`, ['referral-user'], ['FR']);
    const deal = (await post(w.partner.sub, uniqueBody(), `admin-stage-${sequence}`)).body;
    const key = `crm-${deal.id}`;
    const admin = await stage(w.partner.sub, deal.id, key);
    expect(admin.status).toBe(200);

    const without = await stage(outsider.sub, deal.id);
    const replayed = await stage(outsider.sub, deal.id, key);
    expectProblem(replayed, 404, 'not-found');
    expect(seenByClient(replayed)).toEqual(seenByClient(without));
    expect(replayed.body).not.toHaveProperty('name');
  });

  it("answers another org's member who sends the same key and request with its own 404, not the stored answer", async () => {
    const deal = (await post(w.partner.sub, uniqueBody(), `org-stage-${++sequence}`)).body;
    const key = `other-org-${deal.id}`;
    const first = await stage(w.partner.sub, deal.id, key);
    expect(first.status).toBe(200);

    const without = await stage(w.other.sub, deal.id);
    const replayed = await stage(w.other.sub, deal.id, key);
    expectProblem(replayed, 404, 'not-found');
    expect(replayed.headers['idempotent-replayed']).toBeUndefined();
    expect(seenByClient(replayed)).toEqual(seenByClient(without));
    // The original caller still gets the stored answer.
    const again = await stage(w.partner.sub, deal.id, key);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('keeps a refused create refused when the refused user sends the key of a create that succeeded', async () => {
    const outsider = await w.member(w.partner, `fr-creator-${++sequence}`, ['referral-user'], ['FR']);
    const body = uniqueBody();
    expect((await post(w.partner.sub, body, `create-${sequence}`)).status).toBe(201);
    const without = await post(outsider.sub, body);
    const replayed = await post(outsider.sub, body, `create-${sequence}`);
    expectProblem(replayed, 403, 'location-not-allowed');
    expect(seenByClient(replayed)).toEqual(seenByClient(without));
    expect(await dealsNamed(w.partner.sub, body.name)).toBe(1);
  });

  it('replays a user’s own response only while the route still lets that user in', async () => {
    const email = `de-seller-${++sequence}@example.com`;
    const seller = await w.member(w.partner, `de-seller-${sequence}`, ['referral-user'], ['DE']);
    const body = { ...uniqueBody(), team: [{ name: 'Seller', email, phone: '+49 30 1' }] };
    const created = await post(seller.sub, body, `own-create-${sequence}`);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const key = `own-stage-${sequence}`;
    expect((await stage(seller.sub, created.body.id, key)).status).toBe(200);
    expect((await stage(seller.sub, created.body.id, key)).headers['idempotent-replayed']).toBe('true');

    // The seller loses DE: the deal is out of its sight, with or without the key.
    await updateMember(getDeps(), w.partner, { email, locations: ['FR'] });
    const without = await stage(seller.sub, created.body.id);
    const replayed = await stage(seller.sub, created.body.id, key);
    expectProblem(replayed, 404, 'not-found');
    expect(seenByClient(replayed)).toEqual(seenByClient(without));
    // Nor may it replay its create in a location it no longer holds.
    expectProblem(await post(seller.sub, body, `own-create-${sequence}`), 403, 'location-not-allowed');
  });

  it('refuses a replay to a user who lost the role the route needs (403)', async () => {
    const email = `second-admin-${++sequence}@example.com`;
    const second = await w.member(w.partner, `second-admin-${sequence}`, ['org-admin']);
    const publish = () =>
      invoke(createSolution, {
        route: 'POST /v1/solutions',
        sub: second.sub,
        body: { name: `Solution ${sequence}`, coSellReady: false },
        ...withKey(`publish-${sequence}`),
      });
    expect((await publish()).status).toBe(201);
    await updateMember(getDeps(), w.partner, { email, roles: ['referrals-admin'] });
    expectProblem(await publish(), 403, 'role-required');
  });

  it('still replays when the first request itself changed what the route would now say, and writes nothing', async () => {
    const deal = (await post(w.partner.sub, uniqueBody(), `to-close-${++sequence}`)).body;
    const closeWon = () =>
      invoke(close, {
        route: 'POST /v1/deals/{id}/close',
        sub: w.partner.sub,
        params: { id: deal.id },
        body: { outcome: 'lost', reason: 'no-budget' },
        ...withKey(`close-${sequence}`),
      });
    const first = await closeWon();
    expect(first.status).toBe(200);
    const entries = async () =>
      (
        await invoke(history, {
          route: 'GET /v1/deals/{id}/history',
          sub: w.partner.sub,
          params: { id: deal.id },
        })
      ).body.items.length;
    const before = await entries();
    // Running it again would be a 409 (a lost deal is terminal); the key answers the first response.
    const again = await closeWon();
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await entries()).toBe(before);
    const current = await invoke(getDeal, {
      route: 'GET /v1/deals/{id}',
      sub: w.partner.sub,
      params: { id: deal.id },
    });
    expect(current.body.version).toBe(first.body.version);
  });
});

describe('a replay never shows a field the route shows only once (the webhook secret)', () => {
  const register = (key: string) =>
    invoke(createWebhook, {
      route: 'POST /v1/webhooks',
      sub: w.partner.sub,
      body: { url: 'https://8.8.8.8/hooks/co-sell', events: ['deal.created'] },
      headers: { 'Idempotency-Key': key },
    });

  const storedRecord = async (key: string) => {
    const db = createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT as string });
    const { Item } = await db.send(
      new GetCommand({
        TableName: w.tableName,
        Key: idempotencyKeys.item(w.partner.orgId, w.partner.sub, key),
      }),
    );
    return Item;
  };

  it('stores the answer without the secret and replays it without it, saying so', async () => {
    const first = await register('webhook-secret-1');
    expect(first.status).toBe(201);
    expect(first.body.secret).toMatch(/^whsec_/);
    expect(first.headers['shown-only-once']).toBeUndefined();

    const record = await storedRecord('webhook-secret-1');
    expect(record?.state).toBe('completed');
    expect(JSON.stringify(record)).not.toContain(first.body.secret);
    expect(JSON.parse(record?.response.body)).not.toHaveProperty('secret');

    const again = await register('webhook-secret-1');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['shown-only-once']).toBe('secret');
    expect(again.headers.location).toBe(first.headers.location);
    const { secret: _shownOnce, ...withoutSecret } = first.body;
    expect(again.body).toEqual(withoutSecret);
  });

  it('still answers without the secret after the endpoint was deleted', async () => {
    const first = await register('webhook-secret-2');
    expect(first.status).toBe(201);
    const deleted = await invoke(deleteWebhook, {
      route: 'DELETE /v1/webhooks/{id}',
      sub: w.partner.sub,
      params: { id: first.body.id },
    });
    expect(deleted.status).toBe(204);

    const again = await register('webhook-secret-2');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).not.toHaveProperty('secret');
    expect(JSON.stringify(again)).not.toContain(first.body.secret);
  });
});
