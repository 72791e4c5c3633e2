import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import { DynamoOrgStore } from '#functions/adapters/dynamo/org-store.ts';
import { getDeps, overrideDeps, resetDeps } from '#functions/composition/deps.ts';
import { handler as correctCustomer } from '#functions/http/directory/correct-customer.ts';
import { handler as createCustomer } from '#functions/http/directory/create-customer.ts';
import { handler as createSolution } from '#functions/http/directory/create-solution.ts';
import { handler as findCustomers } from '#functions/http/directory/find-customers.ts';
import { handler as listSolutions } from '#functions/http/directory/list-solutions.ts';
import { handler as retireCustomer } from '#functions/http/directory/retire-customer.ts';
import { handler as updateSolution } from '#functions/http/directory/update-solution.ts';
import { HEALTH_CACHE_MS, handler as health } from '#functions/http/operations/health.ts';
import { logger } from '#functions/observability.ts';
import { wireHandlersToTestTable } from '#test/support/api-world.ts';
import { type Invoked, invoke } from '#test/support/http.ts';
import { addMember } from '#test/support/members.ts';
import { expectProblem } from '#test/support/problem.ts';

const CUSTOMERS = 'GET /v1/customers';
const NEW_CUSTOMER = 'POST /v1/customers';
const CORRECT_CUSTOMER = 'PATCH /v1/customers/{id}';
const RETIRE_CUSTOMER = 'DELETE /v1/customers/{id}';
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
  await addMember(deps, fabAdmin!, {
    sub: 'fab-user',
    email: 'u@fab.example',
    name: 'U',
    roles: ['referral-user'],
    locations: ['DE'],
  });
});

afterAll(() => resetDeps());

describe('POST /v1/customers', () => {
  it("lets an org's admins add a customer (201), refuses members (403) and names the holder of a taken D-U-N-S (409)", async () => {
    const body = { name: 'Contoso Pharma', country: 'DE', address: 'Hauptstr. 1', duns: '123456789' };
    expectProblem(
      await invoke(createCustomer, { route: NEW_CUSTOMER, sub: 'fab-user', body }),
      403,
      'role-required',
    );
    const created = await invoke(createCustomer, { route: NEW_CUSTOMER, sub: 'fab-admin', body });
    expect(created.status).toBe(201);
    const fabrikam = (await getDeps().memberships.getActor('fab-admin'))?.orgId;
    expect(created.body).toEqual({
      id: expect.any(String),
      ...body,
      createdByOrgId: fabrikam,
      createdAt: expect.any(String),
      updatedAt: created.body.createdAt,
    });
    const copy = await invoke(createCustomer, {
      route: NEW_CUSTOMER,
      sub: 'con-admin',
      body: { ...body, name: 'Copy' },
    });
    expectProblem(copy, 409, 'already-exists');
    expect(copy.body.existingCustomerId).toBe(created.body.id);
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
        sub: 'fab-admin',
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

describe('PATCH and DELETE /v1/customers/{id}', () => {
  const add = async (sub: string, body: Record<string, string>) => {
    const created = await invoke(createCustomer, {
      route: NEW_CUSTOMER,
      sub,
      body: { country: 'FR', address: 'Rue 1', ...body },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const correct = (sub: string, id: string, body: unknown) =>
    invoke(correctCustomer, { route: CORRECT_CUSTOMER, sub, params: { id }, body });
  const retire = (sub: string, id: string) =>
    invoke(retireCustomer, { route: RETIRE_CUSTOMER, sub, params: { id } });
  const byDuns = async (duns: string) =>
    (await invoke(findCustomers, { route: CUSTOMERS, sub: 'con-admin', query: { duns } })).body.items;

  it("corrects an entry by its creating org's or the host's admins; others get 403, unknown ids 404", async () => {
    const squatted = await add('fab-admin', { name: 'Squatted', duns: '700000001' });
    const real = await add('con-admin', { name: 'Real holder', duns: '700000002' });

    expectProblem(await correct('con-admin', squatted, { name: 'Mine' }), 403, 'not-creator');
    expectProblem(await correct('fab-user', squatted, { name: 'Mine' }), 403, 'role-required');
    expectProblem(await correct('fab-admin', '01NOSUCHCUSTOMER0000000000', { name: 'x' }), 404, 'not-found');

    const taken = await correct('fab-admin', squatted, { duns: '700000002' });
    expectProblem(taken, 409, 'already-exists');
    expect(taken.body.existingCustomerId).toBe(real);

    const byHost = await correct('host-admin', squatted, { name: 'Fixed by host', duns: null });
    expect(byHost.status).toBe(200);
    expect(byHost.body).toMatchObject({ id: squatted, name: 'Fixed by host', duns: null });
    expect(await byDuns('700000001')).toEqual([]);
    const byCreator = await correct('fab-admin', squatted, { duns: '700000001', address: 'Rue 2' });
    expect(byCreator.body).toMatchObject({ duns: '700000001', address: 'Rue 2' });
    expect(await byDuns('700000001')).toEqual([byCreator.body]);

    const invalid = await correct('fab-admin', squatted, { duns: '1', location: 'x' });
    expectProblem(invalid, 400, 'validation');
    expect(errorPaths(invalid)).toEqual(expect.arrayContaining(['duns', 'location']));
    expectProblem(await correct('fab-admin', squatted, {}), 400, 'validation');
  });

  it('keeps D-U-N-S numbers unique under concurrent corrections', async () => {
    const ids = [await add('fab-admin', { name: 'Race A' }), await add('fab-admin', { name: 'Race B' })];
    const answers = await Promise.all(ids.map((id) => correct('fab-admin', id, { duns: '700000009' })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const [holder] = await byDuns('700000009');
    expect(answers.find((answer) => answer.status === 409)?.body.existingCustomerId).toBe(holder.id);
  });

  it("retires an entry by the host's admins only: it leaves the directory and frees its number", async () => {
    const wrong = await add('fab-admin', { name: 'Wrong entry', duns: '700000003' });
    expectProblem(await retire('fab-admin', wrong), 403, 'host-only');
    const retired = await retire('host-admin', wrong);
    expect(retired.status).toBe(204);
    expect(retired.body).toBeUndefined();
    expect(await byDuns('700000003')).toEqual([]);
    const search = await invoke(findCustomers, {
      route: CUSTOMERS,
      sub: 'fab-admin',
      query: { country: 'FR', q: 'wrong' },
    });
    expect(search.body.items).toEqual([]);
    expectProblem(await retire('host-admin', wrong), 404, 'not-found');
    expectProblem(await correct('fab-admin', wrong, { name: 'Back' }), 404, 'not-found');
    await add('con-admin', { name: 'Right entry', duns: '700000003' });
    expect((await byDuns('700000003')).map((c: { name: string }) => c.name)).toEqual(['Right entry']);
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

  it("answers the host admin 404 for a partner's solution that is not co-sell ready, as for a missing id", async () => {
    const draft = await invoke(createSolution, {
      route: NEW_SOLUTION,
      sub: 'con-admin',
      body: { name: 'Draft', coSellReady: false },
    });
    expect(draft.status).toBe(201);
    const patch = (id: string, body: unknown) =>
      invoke(updateSolution, { route: PATCH_SOLUTION, sub: 'host-admin', params: { id }, body });
    for (const body of [{ incentiveEligible: true }, { name: 'Host rename' }]) {
      const hidden = await patch(draft.body.id, body);
      const missing = await patch('01NOSUCHSOLUTION0000000000', body);
      expectProblem(hidden, 404, 'not-found');
      const { instance: _h, ...hiddenProblem } = hidden.body;
      const { instance: _m, ...missingProblem } = missing.body;
      expect(hiddenProblem).toEqual(missingProblem);
    }
    const mine = await invoke(listSolutions, {
      route: SOLUTIONS,
      sub: 'con-admin',
      query: { owner: 'mine' },
    });
    expect(mine.body.items).toEqual([expect.objectContaining({ name: 'Draft', incentiveEligible: false })]);
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
