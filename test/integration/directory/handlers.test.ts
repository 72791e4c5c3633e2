import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { putMember } from '#domain/identity/members.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import { DynamoOrgStore } from '#functions/adapters/dynamo/org-store.ts';
import { getDeps, overrideDeps, resetDeps } from '#functions/composition.ts';
import { handler as createCustomer } from '#functions/http/directory/create-customer.ts';
import { handler as createSolution } from '#functions/http/directory/create-solution.ts';
import { handler as findCustomers } from '#functions/http/directory/find-customers.ts';
import { handler as listSolutions } from '#functions/http/directory/list-solutions.ts';
import { handler as updateSolution } from '#functions/http/directory/update-solution.ts';
import { HEALTH_CACHE_MS, handler as health } from '#functions/http/operations/health.ts';
import { logger } from '#functions/observability.ts';
import { wireHandlersToTestTable } from '#test/support/api-world.ts';
import { expectProblem, type Invoked, invoke } from '#test/support/http.ts';

const CUSTOMERS = 'GET /v1/customers';
const NEW_CUSTOMER = 'POST /v1/customers';
const SOLUTIONS = 'GET /v1/solutions';
const NEW_SOLUTION = 'POST /v1/solutions';
const PATCH_SOLUTION = 'PATCH /v1/solutions/{id}';

const errorPaths = (response: Invoked): string[] => response.body.errors.map((e: { path: string }) => e.path);

let table: Awaited<ReturnType<typeof wireHandlersToTestTable>>;

beforeAll(async () => {
  table = await wireHandlersToTestTable();
  const deps = getDeps();
  await onboardOrg(deps, {
    name: 'Host',
    kind: 'host',
    admin: { sub: 'host-admin', email: 'a@host.example', name: 'H' },
  });
  await onboardOrg(deps, {
    name: 'Fabrikam',
    kind: 'partner',
    admin: { sub: 'fab-admin', email: 'a@fab.example', name: 'F' },
  });
  await onboardOrg(deps, {
    name: 'Contoso',
    kind: 'partner',
    admin: { sub: 'con-admin', email: 'a@con.example', name: 'C' },
  });
  const fabAdmin = await deps.memberships.getActor('fab-admin');
  await putMember(deps, fabAdmin!, {
    sub: 'fab-user',
    email: 'u@fab.example',
    name: 'U',
    roles: ['referral-user'],
    locations: ['DE'],
  });
});

afterAll(() => resetDeps());

describe('POST /v1/customers', () => {
  it('lets any member add a customer (201) and refuses a duplicate D-U-N-S number (409)', async () => {
    const body = { name: 'Contoso Pharma', country: 'DE', address: 'Hauptstr. 1', duns: '123456789' };
    const created = await invoke(createCustomer, { route: NEW_CUSTOMER, sub: 'fab-user', body });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), ...body, createdAt: expect.any(String) });
    expectProblem(
      await invoke(createCustomer, {
        route: NEW_CUSTOMER,
        sub: 'con-admin',
        body: { ...body, name: 'Copy' },
      }),
      409,
      'already-exists',
    );
  });

  it('answers 400 for a malformed D-U-N-S number, a lower-case country and unknown fields', async () => {
    const response = await invoke(createCustomer, {
      route: NEW_CUSTOMER,
      sub: 'fab-user',
      body: { name: 'X', country: 'de', address: 'Y', duns: '12345678', vip: true },
    });
    expectProblem(response, 400, 'validation');
    expect(errorPaths(response)).toEqual(expect.arrayContaining(['country', 'duns']));
    expect(response.body.errors.length).toBe(3);
  });
});

describe('GET /v1/customers', () => {
  it('suggests by country and prefix across pages, and finds by D-U-N-S', async () => {
    for (const name of ['Continental', 'contoso Bank', 'Fourth Coffee']) {
      await invoke(createCustomer, {
        route: NEW_CUSTOMER,
        sub: 'fab-user',
        body: { name, country: 'DE', address: 'A' },
      });
    }
    const first = await invoke(findCustomers, {
      route: CUSTOMERS,
      sub: 'fab-user',
      query: { country: 'DE', q: 'CONT', limit: '2' },
    });
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: { name: string }) => c.name)).toEqual(['Continental', 'contoso Bank']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await invoke(findCustomers, {
      route: CUSTOMERS,
      sub: 'fab-user',
      query: { country: 'DE', q: 'CONT', limit: '2', cursor: first.body.nextCursor },
    });
    expect(second.body.items.map((c: { name: string }) => c.name)).toEqual(['Contoso Pharma']);
    expect(second.body.nextCursor).toBeNull();

    const byDuns = await invoke(findCustomers, {
      route: CUSTOMERS,
      sub: 'con-admin',
      query: { duns: '123456789' },
    });
    expect(byDuns.body).toEqual({
      items: [expect.objectContaining({ name: 'Contoso Pharma', duns: '123456789' })],
      nextCursor: null,
    });
    const none = await invoke(findCustomers, {
      route: CUSTOMERS,
      sub: 'con-admin',
      query: { duns: '999999999' },
    });
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('answers 400 for bad query combinations and a cursor used with another query', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ q: 'cont' }, 'query.country'],
      [{}, 'query.country'],
      [{ duns: '123456789', country: 'DE' }, 'query.duns'],
      [{ duns: '12' }, 'query.duns'],
      [{ country: 'DE', color: 'red' }, 'query.color'],
    ];
    for (const [query, path] of cases) {
      const response = await invoke(findCustomers, { route: CUSTOMERS, sub: 'fab-user', query });
      expectProblem(response, 400, 'validation');
      expect(errorPaths(response)).toContain(path);
    }
    const page = await invoke(findCustomers, {
      route: CUSTOMERS,
      sub: 'fab-user',
      query: { country: 'DE', limit: '1' },
    });
    expectProblem(
      await invoke(findCustomers, {
        route: CUSTOMERS,
        sub: 'fab-user',
        query: { country: 'DE', q: 'four', cursor: page.body.nextCursor },
      }),
      400,
      'invalid-cursor',
    );
    const [data, signature] = (page.body.nextCursor as string).split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(data!, 'base64url').toString()),
        k: { pk: 'ORG#x', sk: 'ORG' },
      }),
    ).toString('base64url');
    expectProblem(
      await invoke(findCustomers, {
        route: CUSTOMERS,
        sub: 'fab-user',
        query: { country: 'DE', limit: '1', cursor: `${forged}.${signature}` },
      }),
      400,
      'invalid-cursor',
    );
  });
});

describe('solutions', () => {
  let fabSolution: string;

  it('publishes (201) and refuses what the caller may not publish (403/422/400)', async () => {
    const created = await invoke(createSolution, {
      route: NEW_SOLUTION,
      sub: 'fab-admin',
      body: { name: 'Lake', coSellReady: true },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'partner', coSellReady: true, incentiveEligible: false });
    fabSolution = created.body.id;

    expectProblem(
      await invoke(createSolution, {
        route: NEW_SOLUTION,
        sub: 'fab-admin',
        body: { name: 'A', coSellReady: true, kind: 'assessment' },
      }),
      403,
      'host-only',
    );
    expectProblem(
      await invoke(createSolution, {
        route: NEW_SOLUTION,
        sub: 'fab-user',
        body: { name: 'A', coSellReady: true },
      }),
      403,
      'role-required',
    );
    expectProblem(
      await invoke(createSolution, {
        route: NEW_SOLUTION,
        sub: 'host-admin',
        body: { name: 'P', coSellReady: true, kind: 'partner' },
      }),
      422,
      'invalid-kind',
    );
    const invalid = await invoke(createSolution, {
      route: NEW_SOLUTION,
      sub: 'fab-admin',
      body: { name: '' },
    });
    expectProblem(invalid, 400, 'validation');
    expect(errorPaths(invalid)).toEqual(expect.arrayContaining(['name', 'coSellReady']));

    const hostSolution = await invoke(createSolution, {
      route: NEW_SOLUTION,
      sub: 'host-admin',
      body: { name: 'Cloud', coSellReady: true, incentiveEligible: true },
    });
    expect(hostSolution.body).toMatchObject({ kind: 'host', incentiveEligible: true });
  });

  it('patches: owner changes name (200), others get 404, incentiveEligible only by the host (403 otherwise)', async () => {
    const renamed = await invoke(updateSolution, {
      route: PATCH_SOLUTION,
      sub: 'fab-admin',
      params: { id: fabSolution },
      body: { name: 'Lakehouse' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: fabSolution, name: 'Lakehouse' });

    expectProblem(
      await invoke(updateSolution, {
        route: PATCH_SOLUTION,
        sub: 'con-admin',
        params: { id: fabSolution },
        body: { name: 'Mine' },
      }),
      404,
      'not-found',
    );
    expectProblem(
      await invoke(updateSolution, {
        route: PATCH_SOLUTION,
        sub: 'fab-admin',
        params: { id: fabSolution },
        body: { incentiveEligible: true },
      }),
      403,
      'host-only',
    );
    const eligible = await invoke(updateSolution, {
      route: PATCH_SOLUTION,
      sub: 'host-admin',
      params: { id: fabSolution },
      body: { incentiveEligible: true },
    });
    expect(eligible.body).toMatchObject({ name: 'Lakehouse', incentiveEligible: true });
    expectProblem(
      await invoke(updateSolution, {
        route: PATCH_SOLUTION,
        sub: 'fab-admin',
        params: { id: fabSolution },
        body: {},
      }),
      400,
      'validation',
    );
  });

  it('lists the catalog by owner', async () => {
    const list = async (sub: string, owner: string) =>
      (await invoke(listSolutions, { route: SOLUTIONS, sub, query: { owner } })).body.items.map(
        (s: { name: string }) => s.name,
      );
    expect(await list('fab-admin', 'mine')).toEqual(['Lakehouse']);
    expect(await list('con-admin', 'partners')).toEqual(['Lakehouse']);
    expect(await list('fab-admin', 'partners')).toEqual([]);
    expect(await list('fab-user', 'host')).toEqual(['Cloud']);
    expectProblem(
      await invoke(listSolutions, { route: SOLUTIONS, sub: 'fab-user', query: { owner: 'all' } }),
      400,
      'validation',
    );
  });
});

describe('GET /health', () => {
  it('answers 200 when the table answers and 503 problem details when it does not', async () => {
    // Each call below must check the table, not reuse the cached check (HEALTH_CACHE_MS).
    vi.useFakeTimers({ toFake: ['Date'] });
    const pastTheCache = () => vi.setSystemTime(new Date(Date.now() + HEALTH_CACHE_MS));
    pastTheCache();
    const ok = await invoke(health, { route: 'GET /health' });
    expect(ok).toMatchObject({ status: 200, body: { status: 'ok' } });

    overrideDeps({ orgs: new DynamoOrgStore({ db: table.db, tableName: 'missing-table' }) });
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    pastTheCache();
    const down = await invoke(health, { route: 'GET /health' });
    vi.useRealTimers();
    expectProblem(down, 503, 'unavailable');
    expect(logged).toHaveBeenCalledWith(
      'health check failed',
      expect.objectContaining({ requestId: down.body.instance }),
    );
    logged.mockRestore();
    expect(JSON.stringify(down.body)).not.toMatch(/ResourceNotFound|missing-table/);
  });
});
