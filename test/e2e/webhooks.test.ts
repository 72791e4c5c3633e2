/**
 * Webhooks end to end on the local runtime: a real HTTP receiver on loopback, endpoints registered
 * over the API, deals and invitations made over HTTP; the stream poller feeds the fan-out
 * function and the local timer the delivery function, as in the cloud. Checks that deliveries are
 * signed (verified with the `standardwebhooks` package and the secret), that each org hears only
 * about its own deals with its own deal id, that a failed delivery is retried with the same
 * `webhook-id` once the domain clock makes it due, and what the delivery log shows; 20 endpoints
 * created at once leave 10. The endpoint's item in the table holds no trace of its secret (the
 * functions seal it with the local KMS stand-in, as with KMS in the cloud).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { webhookKeys } from '#functions/adapters/dynamo/keys.ts';
import { useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;

const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);
const adatum = () => local.api.as(ORGS.adatum.admin.sub);
const northwind = () => local.api.as(ORGS.northwind.admin.sub);

type Received = { path: string; headers: IncomingHttpHeaders; body: string };
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary payload fields
const json = (received: Received): any => JSON.parse(received.body);

/** The receiver: records every request; `/flaky` answers 500 to the first request of each webhook-id. */
const received: Received[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  const failedOnce = new Set<string>();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const id = String(req.headers['webhook-id']);
      if (req.url === '/flaky' && !failedOnce.has(id)) {
        failedOnce.add(id);
        res.writeHead(500).end('not now');
        return;
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const arrivals = (path: string, predicate: (payload: ReturnType<typeof json>) => boolean) =>
  received.filter((entry) => entry.path === path && predicate(json(entry)));

const arrived = (what: string, path: string, predicate: (payload: ReturnType<typeof json>) => boolean) =>
  local.eventually(what, async () => arrivals(path, predicate)[0]);

const register = async (client: ReturnType<typeof fabrikam>, path: string, events: string[]) => {
  const created = await client.post('/v1/webhooks', { url: `${base}${path}`, events, description: path });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; secret: string; status: string };
};

/** The endpoint's item as the table holds it, read past the API. */
const storedEndpoint = async (orgId: string, id: string) => {
  const db = createDocumentClient({ region: 'local', endpoint: local.runtime.dynamoEndpoint });
  try {
    const { Item } = await db.send(
      new GetCommand({ TableName: local.runtime.tableName, Key: webhookKeys.item(orgId, id) }),
    );
    return Item;
  } finally {
    db.destroy();
  }
};

const createDeal = async (
  client: ReturnType<typeof fabrikam>,
  member: { name: string; email: string },
  name: string,
  invite?: string[],
) => {
  const demo = await local.demo();
  const created = await client.post('/v1/deals', {
    customer: { id: demo.customers['Alpine Ski House'] },
    name,
    location: 'DE',
    value: { amount: 50000, currency: 'EUR' },
    closeDate: '2030-06-30',
    team: [{ name: member.name, email: member.email, phone: '+49 30 1' }],
    solutions: [demo.solutions['Contoso Data Platform']],
    ...(invite ? { invite: { partners: invite.map((orgId) => ({ orgId, helpType: 'technical' })) } } : {}),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; engagementId: string; version: number };
};

describe('webhooks', () => {
  it('delivers deal.created signed with the secret, and invitation.received only to the invitee with its own deal id', async () => {
    const demo = await local.demo();
    const fab = await register(fabrikam(), '/fabrikam', ['*']);
    const ada = await register(adatum(), '/adatum', ['invitation.received', 'deal.created']);
    expect(fab.secret).toMatch(/^whsec_/);
    expect(fab.status).toBe('active');
    const listed = await fabrikam().get(`/v1/webhooks/${fab.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.secret).toBeUndefined();
    const stored = JSON.stringify(await storedEndpoint(demo.orgIds.fabrikam!, fab.id));
    expect(stored).toContain(fab.id);
    expect(stored).not.toContain(fab.secret);
    expect(stored).not.toContain(fab.secret.slice('whsec_'.length));

    const deal = await createDeal(fabrikam(), ORGS.fabrikam.admin, 'Webhooks: signed', [demo.orgIds.adatum!]);

    const created = await arrived(
      'deal.created at Fabrikam',
      '/fabrikam',
      (p) => p.type === 'deal.created' && p.data.dealId === deal.id,
    );
    const verified = new Webhook(fab.secret).verify(created.body, created.headers as Record<string, string>);
    expect(verified).toMatchObject({
      type: 'deal.created',
      data: {
        dealId: deal.id,
        engagementId: deal.engagementId,
        orgId: demo.orgIds.fabrikam,
        status: 'accepted',
      },
    });
    expect(created.headers['content-type']).toBe('application/json');
    expect(() =>
      new Webhook(ada.secret).verify(created.body, created.headers as Record<string, string>),
    ).toThrow();

    const invitation = await arrived(
      'invitation.received at Adatum',
      '/adatum',
      (p) => p.data.engagementId === deal.engagementId,
    );
    const payload = new Webhook(ada.secret).verify(
      invitation.body,
      invitation.headers as Record<string, string>,
    ) as ReturnType<typeof json>;
    const inbound = await adatum().get('/v1/deals?view=inbound&limit=100');
    const adatumDeal = inbound.body.items.find(
      (item: { engagementId: string }) => item.engagementId === deal.engagementId,
    );
    expect(payload).toMatchObject({
      type: 'invitation.received',
      data: { dealId: adatumDeal.id, orgId: demo.orgIds.adatum, status: 'received' },
    });
    expect(payload.data.dealId).not.toBe(deal.id);

    // Fabrikam's own events of this engagement have arrived; none is about Adatum's deal.
    await arrived('deal.created at Fabrikam', '/fabrikam', (p) => p.data.engagementId === deal.engagementId);
    const fabrikamTypes = arrivals('/fabrikam', (p) => p.data.engagementId === deal.engagementId).map(
      (r) => json(r).type,
    );
    expect(fabrikamTypes).not.toContain('invitation.received');
    expect(arrivals('/fabrikam', (p) => p.data.dealId === adatumDeal.id)).toEqual([]);
    // Adatum subscribed to deal.created too, but Fabrikam's new deal is not Adatum's.
    expect(arrivals('/adatum', (p) => p.type === 'deal.created')).toEqual([]);
  });

  it('retries a delivery the receiver failed with the same webhook-id, and the log shows the attempts', async () => {
    const hook = await register(northwind(), '/flaky', ['deal.created']);
    const deal = await createDeal(northwind(), ORGS.northwind.admin, 'Webhooks: flaky receiver');

    const first = await arrived('the first attempt', '/flaky', (p) => p.data.dealId === deal.id);
    const log = () => northwind().get(`/v1/webhooks/${hook.id}/deliveries`);
    const failed = await local.eventually('the failed attempt in the log', async () => {
      const entry = (await log()).body.items.find(
        (item: { eventId: string }) => item.eventId === first.headers['webhook-id'],
      );
      return entry?.attempt === 1 ? entry : undefined;
    });
    expect(failed).toMatchObject({ type: 'deal.created', status: 'pending', responseStatus: 500 });
    expect(Date.parse(failed.nextAttemptAt) - Date.parse(failed.at)).toBeLessThanOrEqual(60_000);

    // The retry is due within a minute: move the domain clock instead of waiting for it (and back:
    // the runtime is shared with the files after this one).
    expect((await local.api.anonymous.post('/dev/clock', { advance: 'PT1M' })).status).toBe(200);
    let retries: Received[];
    try {
      retries = await local.eventually('the retry', async () => {
        const all = arrivals('/flaky', (p) => p.data.dealId === deal.id);
        return all.length >= 2 ? all : undefined;
      });
    } finally {
      await local.api.anonymous.delete('/dev/clock');
    }
    expect(retries[1]!.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(retries[1]!.body).toBe(first.body);
    new Webhook(hook.secret).verify(retries[1]!.body, retries[1]!.headers as Record<string, string>);

    const succeeded = await local.eventually('the successful attempt in the log', async () => {
      const entry = (await log()).body.items.find(
        (item: { eventId: string }) => item.eventId === first.headers['webhook-id'],
      );
      return entry?.status === 'succeeded' ? entry : undefined;
    });
    expect(succeeded).toMatchObject({ attempt: 2, responseStatus: 204, nextAttemptAt: null });
  });

  it('sends a test ping, redelivers with the same webhook-id, and keeps endpoints to their org and its admins', async () => {
    const hook = await register(adatum(), '/ping', ['deal.closed']);
    const test = await adatum().post(`/v1/webhooks/${hook.id}/test`);
    expect(test.status).toBe(202);
    const ping = await arrived('the test ping', '/ping', (p) => p.type === 'webhook.test');
    expect(ping.headers['webhook-id']).toBe(test.body.eventId);
    new Webhook(hook.secret).verify(ping.body, ping.headers as Record<string, string>);

    const again = await adatum().post(`/v1/webhooks/${hook.id}/deliveries/${test.body.deliveryId}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body.eventId).toBe(test.body.eventId);
    await local.eventually('the redelivery', async () => {
      const pings = arrivals('/ping', (p) => p.type === 'webhook.test');
      return pings.length >= 2 ? pings : undefined;
    });
    const deliveries = (await adatum().get(`/v1/webhooks/${hook.id}/deliveries`)).body.items;
    expect(deliveries.map((d: { id: string }) => d.id)).toEqual([
      again.body.deliveryId,
      test.body.deliveryId,
    ]);

    expect((await northwind().get(`/v1/webhooks/${hook.id}`)).status).toBe(404);
    expect((await northwind().delete(`/v1/webhooks/${hook.id}`)).status).toBe(404);
    expect((await northwind().get(`/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404);
    expect((await local.api.as(ORGS.adatum.seller.sub).get('/v1/webhooks')).status).toBe(403);

    const disabled = await adatum().patch(`/v1/webhooks/${hook.id}`, { status: 'disabled' });
    expect(disabled.body).toMatchObject({ status: 'disabled' });
    expect((await adatum().post(`/v1/webhooks/${hook.id}/test`)).status).toBe(400);
    expect((await adatum().delete(`/v1/webhooks/${hook.id}`)).status).toBe(204);
    expect((await adatum().get(`/v1/webhooks/${hook.id}`)).status).toBe(404);
  });

  it('rotates the secret: both signatures for 24 hours, so a receiver verifying either secret accepts, then the new one alone', async () => {
    const hook = await register(fabrikam(), '/rotating', ['deal.closed']);
    /** A receiver that knows one secret: it accepts a delivery when any of its signatures verifies. */
    const acceptedBy = (secret: string, delivery: Received): boolean => {
      try {
        new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>);
        return true;
      } catch {
        return false;
      }
    };
    const ping = async (what: string) => {
      const test = await fabrikam().post(`/v1/webhooks/${hook.id}/test`);
      expect(test.status).toBe(202);
      return local.eventually(what, async () =>
        received.find(
          (entry) => entry.path === '/rotating' && entry.headers['webhook-id'] === test.body.eventId,
        ),
      );
    };

    const key = { 'Idempotency-Key': `rotate-${hook.id}` };
    const rotated = await fabrikam().post(`/v1/webhooks/${hook.id}/rotate-secret`, undefined, key);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    const overlapEnds = Date.parse(rotated.body.previousSecretExpiresAt);
    expect(overlapEnds - Date.parse(rotated.body.updatedAt)).toBe(24 * 3_600_000);
    // Shown once: neither a replay nor a read shows it again.
    const replayed = await fabrikam().post(`/v1/webhooks/${hook.id}/rotate-secret`, undefined, key);
    expect(replayed.headers['shown-only-once']).toBe('secret');
    expect(replayed.body.secret).toBeUndefined();
    expect(JSON.stringify((await fabrikam().get(`/v1/webhooks/${hook.id}`)).body)).not.toContain('whsec_');
    // Nor the table: both secrets that now sign are stored sealed.
    const stored = JSON.stringify(await storedEndpoint((await local.demo()).orgIds.fabrikam!, hook.id));
    expect(stored).toContain(hook.id);
    expect(stored).not.toContain('whsec_');
    // Only the endpoint's org-admins rotate it.
    expect((await northwind().post(`/v1/webhooks/${hook.id}/rotate-secret`)).status).toBe(404);
    expect(
      (await local.api.as(ORGS.fabrikam.seller.sub).post(`/v1/webhooks/${hook.id}/rotate-secret`)).status,
    ).toBe(403);

    const during = await ping('a delivery during the overlap');
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(acceptedBy(hook.secret, during)).toBe(true);
    expect(acceptedBy(rotated.body.secret, during)).toBe(true);

    try {
      expect((await local.api.anonymous.post('/dev/clock', { advance: 'PT25H' })).status).toBe(200);
      const after = await ping('a delivery after the overlap');
      expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(acceptedBy(rotated.body.secret, after)).toBe(true);
      expect(acceptedBy(hook.secret, after)).toBe(false);
    } finally {
      await local.api.anonymous.delete('/dev/clock');
    }
  });

  it('never shows the secret again on an idempotent replay, even after the endpoint was deleted', async () => {
    const body = { url: `${base}/replayed`, events: ['deal.closed'] };
    const key = { 'Idempotency-Key': `webhook-replay-${Date.now()}` };
    const first = await northwind().post('/v1/webhooks', body, key);
    expect(first.status).toBe(201);
    expect(first.body.secret).toMatch(/^whsec_/);

    const replayed = await northwind().post('/v1/webhooks', body, key);
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.headers['shown-only-once']).toBe('secret');
    const { secret: _shownOnce, ...withoutSecret } = first.body;
    expect(replayed.body).toEqual(withoutSecret);

    expect((await northwind().delete(`/v1/webhooks/${first.body.id}`)).status).toBe(204);
    const afterDelete = await northwind().post('/v1/webhooks', body, key);
    expect(afterDelete.status).toBe(201);
    expect(JSON.stringify(afterDelete.body)).not.toContain(first.body.secret);
  });

  it('answers a body the test and redeliver routes do not take with a 400, however deeply nested', async () => {
    const hook = await register(northwind(), '/bodies', ['deal.closed']);
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    for (const path of [
      `/v1/webhooks/${hook.id}/test`,
      `/v1/webhooks/${hook.id}/deliveries/01JZZZZZZZZZZZZZZZZZZZZZZZ/redeliver`,
    ]) {
      const tooDeep = await northwind().post(path, deep, { 'Idempotency-Key': `deep-${path}` });
      expectProblem(tooDeep, 400, 'body-too-deep');
      expectProblem(await northwind().post(path, { type: 'deal.closed' }), 400, 'body-not-allowed');
    }
    expect((await northwind().get(`/v1/webhooks/${hook.id}/deliveries`)).body.items).toEqual([]);
    expect((await northwind().delete(`/v1/webhooks/${hook.id}`)).status).toBe(204);
  });

  it('refuses URLs that are no absolute http(s) URL or point at private addresses', async () => {
    for (const url of ['ftp://127.0.0.1/x', 'http://10.0.0.1/hook', 'http://user:pw@127.0.0.1/x']) {
      const answer = await fabrikam().post('/v1/webhooks', { url, events: ['*'] });
      expect(answer.status, url).toBe(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('keeps an org to 10 endpoints when 20 are created at once; a delete frees one place', async () => {
    const held = (await northwind().get('/v1/webhooks')).body.items.length;
    const create = (i: number) =>
      northwind().post('/v1/webhooks', { url: `${base}/crowd-${i}`, events: ['deal.closed'] });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => create(i)));
    // A request that lost every race for the org's counter says so (409 with Retry-After); on a
    // loaded machine one may outlive the gateway's 30 s (503). Asked again, as a client would, it
    // lands or is refused like the others.
    for (const [i, answer] of answers.entries()) {
      expect([201, 400, 409, 503], JSON.stringify(answer.body)).toContain(answer.status);
      if (answer.status === 409 || answer.status === 503) answers[i] = await create(i);
    }
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBeLessThanOrEqual(10 - held);
    for (const refused of answers.filter((answer) => answer.status !== 201)) {
      expectProblem(refused, 400, 'validation');
      expect(refused.body.errors).toEqual([
        {
          path: 'url',
          message: 'An organization can have at most 10 webhooks; delete one before adding another.',
        },
      ]);
    }
    const listed = (await northwind().get('/v1/webhooks')).body.items as { id: string; url: string }[];
    expect(listed).toHaveLength(10);

    const [first, ...rest] = listed.filter((hook) => hook.url.includes('/crowd-'));
    expect((await northwind().delete(`/v1/webhooks/${first?.id}`)).status).toBe(204);
    expect((await register(northwind(), '/crowd-again', ['deal.closed'])).status).toBe('active');
    expectProblem(await northwind().post('/v1/webhooks', { url: `${base}/one-more`, events: ['*'] }), 400);
    // Leave the org as it was for whatever runs after.
    for (const hook of rest) {
      expect((await northwind().delete(`/v1/webhooks/${hook.id}`)).status).toBe(204);
    }
  });
});
