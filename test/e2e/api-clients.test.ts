/**
 * API clients end to end: an org-admin makes a client, the connector gets tokens with the OAuth 2.0
 * client-credentials grant at `tokenUrl`, acts within its scopes (403 `insufficient-scope` beyond
 * them, and on every admin route), its changes show the client in the deal's history, and a revoked
 * client's very next request is refused (401).
 */
import { describe, expect, it } from 'vitest';
import { fabrikamDealBody, useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;
const admin = () => local.api.as(ORGS.fabrikam.admin.sub);

type Created = { id: string; clientId: string; clientSecret: string; tokenUrl: string; name: string };

const makeClient = async (name: string, scopes: string[], headers?: Record<string, string>) => {
  const created = await admin().post('/v1/org/api-clients', { name, scopes }, headers);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created;
};

/** The client-credentials grant as a connector makes it: form-encoded, HTTP Basic. */
const grant = (
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  body = 'grant_type=client_credentials',
) =>
  fetch(tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body,
  });

const clientApi = async (client: Created) => {
  const answer = await grant(client.tokenUrl, client.clientId, client.clientSecret);
  expect(answer.status).toBe(200);
  const token = (await answer.json()) as { access_token: string; token_type: string; expires_in: number };
  expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
  return local.api.withToken(token.access_token);
};

describe('API clients', () => {
  it('are made by an org-admin with a secret shown once, and listed without it', async () => {
    const key = `make-${Date.now()}`;
    const created = await makeClient('Salesforce sync', ['deals:read'], { 'idempotency-key': key });
    expect(created.body).toMatchObject({
      name: 'Salesforce sync',
      scopes: ['deals:read'],
      clientId: expect.any(String),
      clientSecret: expect.any(String),
      tokenUrl: `${local.url}/dev/oauth2/token`,
    });
    const replay = await admin().post(
      '/v1/org/api-clients',
      { name: 'Salesforce sync', scopes: ['deals:read'] },
      { 'idempotency-key': key },
    );
    expect(replay.status).toBe(201);
    expect(replay.body.clientSecret).toBeUndefined();
    expect(replay.headers['shown-only-once']).toBe('clientSecret');

    const listed = await admin().get('/v1/org/api-clients');
    expect(listed.status).toBe(200);
    const mine = listed.body.items.find((item: Created) => item.id === created.body.id);
    expect(mine).toMatchObject({ clientId: created.body.clientId, scopes: ['deals:read'] });
    expect(mine.clientSecret).toBeUndefined();
    // Members who are not org-admins, and other orgs, neither see nor revoke them.
    expectProblem(await local.api.as(ORGS.fabrikam.referrals.sub).get('/v1/org/api-clients'), 403);
    expectProblem(
      await local.api.as(ORGS.adatum.admin.sub).delete(`/v1/org/api-clients/${created.body.id}`),
      404,
    );
  });

  it('refuses a wrong secret and other grants the way OAuth clients expect', async () => {
    const { body } = await makeClient('Wrong secret', ['deals:read']);
    const wrong = await grant(body.tokenUrl, body.clientId, `${body.clientSecret}x`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const password = await grant(body.tokenUrl, body.clientId, body.clientSecret, 'grant_type=password');
    expect(password.status).toBe(400);
    expect(await password.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const more = await grant(
      body.tokenUrl,
      body.clientId,
      body.clientSecret,
      'grant_type=client_credentials&scope=co-sell%2Fwebhooks',
    );
    expect(more.status).toBe(400);
    expect(await more.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('with deals:read lists deals, and gets 403 insufficient-scope on a write and on admin routes', async () => {
    const demo = await local.demo();
    const deal = await admin().post('/v1/deals', fabrikamDealBody(demo));
    expect(deal.status).toBe(201);
    const { body } = await makeClient('Reader', ['deals:read']);
    const reader = await clientApi(body);

    const me = await reader.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      client: { id: body.id, name: 'Reader', scopes: ['deals:read'] },
      org: expect.objectContaining({ id: demo.orgIds.fabrikam }),
    });
    const listed = await reader.get('/v1/deals?limit=100');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(deal.body.id);
    expect((await reader.get(`/v1/deals/${deal.body.id}`)).status).toBe(200);

    expectProblem(await reader.post('/v1/deals', fabrikamDealBody(demo)), 403, 'insufficient-scope');
    expectProblem(
      await reader.post(`/v1/deals/${deal.body.id}/stage`, { stage: 'qualified' }),
      403,
      'insufficient-scope',
    );
    expectProblem(await reader.get('/v1/webhooks'), 403, 'insufficient-scope');
    expectProblem(await reader.get('/v1/org/users'), 403, 'insufficient-scope');
    expectProblem(await reader.get('/v1/org/api-clients'), 403, 'insufficient-scope');
  });

  it('shows a client’s change in the history as the client', async () => {
    const demo = await local.demo();
    const { body } = await makeClient('CRM writer', ['deals:read', 'deals:write']);
    const writer = await clientApi(body);
    const created = await writer.post('/v1/deals', fabrikamDealBody(demo, { name: 'Made by a connector' }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const staged = await writer.post(`/v1/deals/${created.body.id}/stage`, { stage: 'qualified' });
    expect(staged.status, JSON.stringify(staged.body)).toBe(200);

    const history = await admin().get(`/v1/deals/${created.body.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.items.length).toBeGreaterThanOrEqual(2);
    for (const entry of history.body.items) {
      expect(entry.actor).toEqual({
        orgId: demo.orgIds.fabrikam,
        orgName: ORGS.fabrikam.name,
        client: 'CRM writer',
      });
    }
  });

  it('refuses a revoked client’s very next request (401), whatever token it holds', async () => {
    const { body } = await makeClient('Short-lived', ['deals:read']);
    const reader = await clientApi(body);
    expect((await reader.get('/v1/deals')).status).toBe(200);
    expect((await reader.get('/v1/me')).status).toBe(200);

    expect((await admin().delete(`/v1/org/api-clients/${body.id}`)).status).toBe(204);
    expectProblem(await reader.get('/v1/deals'), 401, 'unauthenticated');
    expectProblem(await reader.get('/v1/me'), 401, 'unauthenticated');
    const again = await grant(body.tokenUrl, body.clientId, body.clientSecret);
    expect(again.status).toBe(401);
    expect(
      (await admin().get('/v1/org/api-clients')).body.items.map((item: Created) => item.id),
    ).not.toContain(body.id);
    expectProblem(await admin().delete(`/v1/org/api-clients/${body.id}`), 404);
  });
});
