/**
 * The example connector (client/examples/crm-sync.ts) against the local runtime, signed in as an
 * API client of its org (the client-credentials grant): a full first sync of both tabs, then delta
 * syncs from the stored watermark that return every change of both directions, oldest first; and
 * its own webhook receiver, which verifies a signed delivery before it syncs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { useLocalRuntime } from '#test/support/local-runtime.ts';
import {
  type Deal,
  deltaSync,
  fullSync,
  MemorySyncStore,
  registerReceiver,
  type WebhookEvent,
  webhookReceiver,
} from '../../client/examples/crm-sync.ts';
import { clientCredentials, createCoSellClient } from '../../client/index.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;

const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);
const adatum = () => local.api.as(ORGS.adatum.admin.sub);

/** The connector's typed client, signed in with a new API client of Fabrikam (made by its admin). */
const connectorApi = async (scopes: string[]) => {
  const made = await fabrikam().post('/v1/org/api-clients', { name: 'CRM connector', scopes });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const { tokenUrl, clientId, clientSecret } = made.body;
  return createCoSellClient({
    baseUrl: local.url,
    token: clientCredentials({ tokenUrl, clientId, clientSecret }),
  });
};

const servers: { close: () => void }[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

const dealBody = async (team: { name: string; email: string }, invite?: unknown) => {
  const demo = await local.demo();
  return {
    customer: { id: demo.customers['Alpine Ski House'] },
    name: 'Alpine sync pilot',
    location: 'DE',
    value: { amount: 50000, currency: 'EUR' },
    closeDate: '2030-06-30',
    team: [{ name: team.name, email: team.email, phone: '+49 30 1' }],
    solutions: [demo.solutions['Contoso Data Platform']],
    ...(invite ? { invite } : {}),
  };
};

describe('the example CRM connector', () => {
  it('finds the one deal that carries the org’s own CRM id, and only in its own org', async () => {
    const crmId = `SF-${ORGS.fabrikam.admin.sub.replace(/\W/g, '')}-0042`;
    const created = await fabrikam().post('/v1/deals', { ...(await dealBody(ORGS.fabrikam.admin)), crmId });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const found = await fabrikam().get(`/v1/deals?crmId=${encodeURIComponent(crmId)}`);
    expect(found.body.items.map((deal: Deal) => deal.id)).toEqual([created.body.id]);
    expect((await adatum().get(`/v1/deals?crmId=${encodeURIComponent(crmId)}`)).body.items).toEqual([]);
  });

  it('syncs fully, then delta-syncs changes of both directions oldest first from its watermark', async () => {
    const demo = await local.demo();
    const api = await connectorApi(['deals:read']);
    const store = new MemorySyncStore();

    const before = await fabrikam().post('/v1/deals', await dealBody(ORGS.fabrikam.admin));
    expect(before.status, JSON.stringify(before.body)).toBe(201);
    expect(await fullSync(api, store)).toBeGreaterThanOrEqual(1);
    expect(store.deals.has(before.body.id)).toBe(true);
    const watermark = (await store.watermark()) as string;

    // Outbound: Fabrikam's own deal. Inbound: Adatum invites Fabrikam, which accepts.
    const outbound = await fabrikam().post('/v1/deals', await dealBody(ORGS.fabrikam.admin));
    expect(outbound.status).toBe(201);
    const invited = await adatum().post(
      '/v1/deals',
      await dealBody(ORGS.adatum.admin, { partners: [{ orgId: demo.orgIds.fabrikam, helpType: 'general' }] }),
    );
    expect(invited.status).toBe(201);
    const inbound = (
      await fabrikam().get('/v1/deals?view=inbound&status=received&limit=100')
    ).body.items.find((deal: Deal) => deal.engagementId === invited.body.engagementId);
    const accepted = await fabrikam().post(`/v1/deals/${inbound.id}/accept`, {
      team: [{ name: 'Fabrikam Admin', email: ORGS.fabrikam.admin.email, phone: '+49 30 1' }],
    });
    expect(accepted.status).toBe(200);
    // The outbound deal changes again last, so it comes after the inbound one.
    const staged = await fabrikam().post(`/v1/deals/${outbound.body.id}/stage`, { stage: 'qualified' });
    expect(staged.status).toBe(200);

    // Changes show up once they are a few seconds old: sync until both are in, as a connector would.
    const changes: Deal[] = [];
    await vi.waitFor(
      async () => {
        changes.push(...(await deltaSync(api, store)));
        expect(store.deals.get(outbound.body.id)?.version).toBe(staged.body.version);
        expect(store.deals.get(inbound.id)?.status).toBe('accepted');
      },
      { timeout: 30_000, interval: 1_000 },
    );

    const times = changes.map((deal) => deal.updatedAt);
    expect(times).toEqual([...times].sort());
    expect(times.every((time) => time >= watermark)).toBe(true);
    const ours = changes
      .filter((deal) => deal.id === outbound.body.id || deal.id === inbound.id)
      .map((deal) => [deal.direction, deal.id, deal.version]);
    expect(ours.slice(-2)).toEqual([
      ['inbound', inbound.id, accepted.body.version],
      ['outbound', outbound.body.id, staged.body.version],
    ]);
    expect(await store.watermark()).toBe(staged.body.updatedAt);

    // Nothing changed since: the next delta sync returns the last change again at most.
    const again = await deltaSync(api, store);
    expect(again.map((deal) => deal.id)).toEqual([outbound.body.id]);
  });

  it('registers its receiver, verifies a signed delivery and syncs the change it announces', async () => {
    const api = await connectorApi(['deals:read', 'webhooks']);
    const store = new MemorySyncStore();
    await fullSync(api, store);

    const verified: { event: WebhookEvent; id: string }[] = [];
    const server = createServer(webhookReceiver('', () => undefined));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm`;
    const secret = await registerReceiver(api, url);
    expect(secret).toMatch(/^whsec_/);
    // The receiver verifies with the secret the registration showed once.
    server.removeAllListeners('request');
    server.on(
      'request',
      webhookReceiver(secret, (event, id) => verified.push({ event, id })),
    );

    const created = await fabrikam().post('/v1/deals', await dealBody(ORGS.fabrikam.admin));
    expect(created.status).toBe(201);
    const delivery = await local.eventually('the signed delivery of the new deal', async () =>
      verified.find(({ event }) => event.data.dealId === created.body.id),
    );
    expect(delivery.event.type).toBe('deal.created');
    await vi.waitFor(
      async () => {
        await deltaSync(api, store);
        expect(store.deals.get(created.body.id)?.version).toBe(created.body.version);
      },
      { timeout: 30_000, interval: 1_000 },
    );
  });
});
