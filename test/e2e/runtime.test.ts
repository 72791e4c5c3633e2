import { describe, expect, it } from 'vitest';
import { ROUTES } from '#functions/http/routes.ts';
import { DEMO, DEMO_CUSTOMERS, demoUsers } from '#infra/local/demo-data.ts';
import { createTokenIssuer } from '#infra/local/tokens.ts';
import {
  API_SECURITY_HEADERS,
  consoleSecurityHeaders,
  securityHeaderFields,
} from '#infra/security-headers.ts';
import { useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();

const DAY_MS = 24 * 60 * 60 * 1000;

describe('local runtime', () => {
  it('sends the security headers the cloud distribution sends: the console’s on pages, the API’s on JSON', async () => {
    const headersOf = async (path: string) => {
      const response = await fetch(`${local.url}${path}`);
      await response.arrayBuffer();
      return Object.fromEntries(response.headers);
    };
    const consoleFields = securityHeaderFields(
      consoleSecurityHeaders([new URL(local.runtime.s3Endpoint).origin]),
    );
    const apiFields = securityHeaderFields(API_SECURITY_HEADERS);
    expect(await headersOf('/deals/01JEXAMPLE')).toMatchObject(consoleFields);
    for (const path of ['/health', '/v1/me', '/v1/no-such-route']) {
      const headers = await headersOf(path);
      expect(headers, path).toMatchObject(apiFields);
      expect(headers['permissions-policy'], path).toBeUndefined();
    }
  });

  it('answers /health without a token', async () => {
    const response = await local.api.anonymous.get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('resolves the seeded host admin on GET /v1/me', async () => {
    const response = await local.api.as(DEMO.host.admin.sub).get('/v1/me');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      user: { sub: 'host-admin', email: 'host-admin@host.example' },
      org: { name: 'Contoso Cloud', kind: 'host' },
      roles: ['org-admin'],
    });
  });

  it('seeds every demo user into its org with its roles and locations', async () => {
    for (const { org, user } of demoUsers()) {
      const response = await local.api.as(user.sub).get('/v1/me');
      expect(response.status, user.sub).toBe(200);
      expect(response.body.org.name).toBe(org);
      expect(response.body.roles).toEqual(user.roles);
      expect([...response.body.locations].sort()).toEqual([...user.locations].sort());
    }
    const northwind = await local.api.as(DEMO.northwind.admin.sub).get('/v1/me');
    expect(northwind.body.org.capabilities).toEqual(['solution-assessment']);
  });

  it('seeds the catalog and the customers, and the harness finds their ids', async () => {
    const demo = await local.demo();
    expect(Object.keys(demo.orgIds).sort()).toEqual(['adatum', 'fabrikam', 'host', 'northwind']);
    // Other tests add customers too: the seeded ones must all be there.
    expect(Object.keys(demo.customers)).toEqual(
      expect.arrayContaining(DEMO_CUSTOMERS.map((customer) => customer.name)),
    );
    const host = await local.api.as(DEMO.host.admin.sub).get('/v1/solutions?owner=host');
    const eligible = host.body.items.filter(
      (solution: { incentiveEligible: boolean }) => solution.incentiveEligible,
    );
    expect(eligible.map((solution: { id: string }) => solution.id)).toEqual([
      demo.solutions['Contoso Data Platform'],
    ]);
    const assessment = await local.api.as(DEMO.northwind.admin.sub).get('/v1/solutions?owner=assessment');
    expect(assessment.body.items.map((solution: { name: string }) => solution.name)).toEqual([
      'Cloud Migration Assessment',
    ]);
    // Other files' orgs publish solutions too: the seeded partners' are the ones the seed made.
    const seededOrgIds = new Set<string>();
    for (const org of [DEMO.fabrikam, DEMO.northwind])
      seededOrgIds.add((await local.api.as(org.admin.sub).get('/v1/me')).body.org.id);
    const partners = await local.api.as(DEMO.adatum.admin.sub).get('/v1/solutions?owner=partners&limit=100');
    expect(partners.body.nextCursor).toBeNull();
    const names = partners.body.items
      .filter((solution: { ownerOrgId: string }) => seededOrgIds.has(solution.ownerOrgId))
      .map((solution: { name: string }) => solution.name)
      .sort();
    expect(names).toEqual(['Fabrikam Analytics Suite', 'Northwind Migration Factory']);
    const byDuns = await local.api.as(DEMO.host.admin.sub).get('/v1/customers?duns=271828182');
    expect(byDuns.body.items.map((customer: { name: string }) => customer.name)).toEqual(['Tailspin Toys']);
  });

  it('rejects a request without a token with 401 problem+json before any handler runs', async () => {
    const response = await local.api.anonymous.get('/v1/me');
    expectProblem(response, 401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('rejects malformed, foreign, expired and wrong-audience tokens with 401', async () => {
    const foreign = await createTokenIssuer({ port: local.runtime.port });
    const expired = await local.signToken({ sub: 'host-admin' }, { expiresInSeconds: -60 });
    for (const token of ['not-a-jwt', await foreign.issue({ sub: 'host-admin' }), expired]) {
      expectProblem(await local.api.withToken(token).get('/v1/me'), 401);
    }
  });

  it('rejects a token issued in the future with 401, as API Gateway does', async () => {
    const future = await local.signToken(
      { sub: DEMO.host.admin.sub },
      { issuedAt: new Date(Date.now() + 10 * 60_000) },
    );
    expectProblem(await local.api.withToken(future).get('/v1/me'), 401);
  });

  it('refuses __proto__ and constructor in the query as unknown parameters, like any other', async () => {
    const admin = local.api.as(DEMO.host.admin.sub);
    for (const name of ['__proto__', 'constructor', 'unknownThing']) {
      const response = await admin.get(`/v1/deals?${name}=x`);
      expectProblem(response, 400);
      expect(JSON.stringify(response.body.errors), name).toContain(name);
    }
  });

  it('answers 403 for a valid token whose subject belongs to no org', async () => {
    expectProblem(await local.api.as('nobody-at-all').get('/v1/me'), 403, 'not-a-member');
  });

  it('answers 404 problem+json for an unknown route and 405 with Allow for a wrong method', async () => {
    expectProblem(await local.api.as(DEMO.host.admin.sub).get('/v1/nothing-here'), 404);
    expectProblem(await local.api.anonymous.get('/v1/me/'), 404);
    const wrongMethod = await local.api.anonymous.post('/health', {});
    expectProblem(wrongMethod, 405);
    expect(wrongMethod.headers.allow).toBe('GET');
  });

  it('reaches the handler of every route of the route table, none failing with a 500', async () => {
    const admin = local.api.as(DEMO.host.admin.sub);
    for (const route of ROUTES) {
      const path = route.path.replace(/\{\w+\}/g, '01ZZZZZZZZZZZZZZZZZZZZZZZZ');
      const send = {
        GET: () => admin.get(path),
        DELETE: () => admin.delete(path),
        POST: () => admin.post(path, {}),
        PUT: () => admin.put(path, {}),
        PATCH: () => admin.patch(path, {}),
      }[route.method];
      const response = await send();
      const label = `${route.method} ${route.path}`;
      expect(response.status, label).toBeLessThan(500);
      expect(String(response.body?.detail ?? ''), label).not.toMatch(/^No route/);
      // The runtime logs a request as it answers it, in its own process: the line may trail the answer.
      const line = await local.eventually(`the log line of ${label}`, async () =>
        (await local.logs()).findLast((entry) => entry.startsWith(`${route.method} ${path} `)),
      );
      expect(line, label).toContain(`→ ${route.handler}`);
    }
    // The first call of a route the earlier files did not call cold-starts its worker: 17–43 s with load.
  }, 120_000);

  it('passes the query string and URL-decoded path parameters to the handlers', async () => {
    const admin = local.api.as(DEMO.host.admin.sub);
    const found = await admin.get('/v1/customers?country=DE&q=alp');
    expect(found.status).toBe(200);
    expect(found.body.items.map((customer: { name: string }) => customer.name)).toEqual(['Alpine Ski House']);

    const invited = await admin.post('/v1/org/users', {
      email: 'ext+42@host.example',
      name: 'External 42',
      roles: ['referrals-admin'],
      locations: [],
    });
    expect(invited.status).toBe(201);
    const changed = await admin.patch('/v1/org/users/ext%2B42%40host.example', {
      roles: ['referral-user'],
      locations: ['DE'],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ email: 'ext+42@host.example', roles: ['referral-user'] });
  });

  it('onboards a partner through POST /dev/orgs, whose admin can then sign in', async () => {
    const created = await local.api.anonymous.post('/dev/orgs', {
      name: 'Proseware',
      kind: 'partner',
      capabilities: ['solution-assessment'],
      admin: { sub: 'proseware-admin', email: 'admin@proseware.example', name: 'Pat Proseware' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), name: 'Proseware', kind: 'partner' });

    const me = await local.api.as('proseware-admin').get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.org).toMatchObject({
      id: created.body.id,
      name: 'Proseware',
      capabilities: ['solution-assessment'],
    });
    expect(me.body.user.email).toBe('admin@proseware.example');

    const again = await local.api.anonymous.post('/dev/orgs', {
      name: 'Proseware Two',
      kind: 'partner',
      admin: { sub: 'proseware-admin', email: 'admin@proseware.example', name: 'Pat' },
    });
    expectProblem(again, 409, 'already-exists');
  });

  it('validates /dev bodies and answers problem+json', async () => {
    const host = await local.api.anonymous.post('/dev/orgs', {
      name: 'Second Host',
      kind: 'host',
      admin: { sub: 'x', email: 'x@x.example', name: 'X' },
    });
    expectProblem(host, 400);
    expect(host.body.errors.map((error: { path: string }) => error.path)).toContain('kind');
    expectProblem(await local.api.anonymous.post('/dev/tokens', { email: 'a@b.example' }), 400);
    expectProblem(await local.api.anonymous.post('/dev/tokens', '{"sub":'), 400);
    expectProblem(await local.api.anonymous.post('/dev/clock', { advance: '15 days' }), 400);
    expectProblem(await local.api.anonymous.post('/dev/jobs/no-such-job'), 404);
  });

  it('moves the domain clock that every handler uses with /dev/clock, and resets it', async () => {
    const admin = local.api.as(DEMO.host.admin.sub);
    const customer = (name: string) =>
      admin.post('/v1/customers', { name, country: 'DE', address: 'Somewhere 1' });

    const advanced = await local.api.anonymous.post('/dev/clock', { advance: 'P15D' });
    expect(advanced.status).toBe(200);
    expect(advanced.body.offsetMs).toBeGreaterThanOrEqual(15 * DAY_MS - 1000);
    const later = await customer('Clockwork Later');
    expect(later.status).toBe(201);
    expect(Date.parse(later.body.createdAt) - Date.now()).toBeGreaterThan(14 * DAY_MS);

    const set = await local.api.anonymous.post('/dev/clock', { now: '2030-01-02T03:04:05.000Z' });
    expect(Date.parse(set.body.now)).toBeGreaterThanOrEqual(Date.parse('2030-01-02T03:04:05.000Z'));
    const shown = await local.api.anonymous.get('/dev/clock');
    expect(shown.body.now.startsWith('2030-01-02')).toBe(true);
    expect((await customer('Clockwork 2030')).body.createdAt.startsWith('2030-01-02')).toBe(true);

    const reset = await local.api.anonymous.delete('/dev/clock');
    expect(reset.body.offsetMs).toBe(0);
    const now = await customer('Clockwork Now');
    expect(Math.abs(Date.parse(now.body.createdAt) - Date.now())).toBeLessThan(60_000);
  });
});
