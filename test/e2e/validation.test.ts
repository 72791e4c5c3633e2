/**
 * Over HTTP against the local runtime: what adversarial testing of release 1 found in cursors,
 * money, the customer directory and the solution catalog (each answered a 500 or leaked or let a
 * member squat), now answered as the API conventions say.
 */
import { describe, expect, it } from 'vitest';
import { useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;
const FAB = ORGS.fabrikam;

const dealBody = async (overrides: Record<string, unknown> = {}) => {
  const demo = await local.demo();
  return {
    customer: { id: demo.customers['Alpine Ski House'] },
    name: 'Validation deal',
    location: 'DE',
    value: { amount: 1000, currency: 'EUR' },
    closeDate: '2030-06-30',
    team: [{ name: 'Owner', email: FAB.admin.email, phone: '+49 30 1' }],
    solutions: [demo.solutions['Fabrikam Analytics Suite']],
    ...overrides,
  };
};

describe('cursors', () => {
  it("answers 400 invalid-cursor for one deal's history cursor used on another deal", async () => {
    const api = local.api.as(FAB.admin.sub);
    const ids: string[] = [];
    for (const name of ['Cursor A', 'Cursor B']) {
      const created = await api.post('/v1/deals', await dealBody({ name }));
      expect(created.status).toBe(201);
      expect((await api.patch(`/v1/deals/${created.body.id}`, { notes: 'edited' })).status).toBe(200);
      ids.push(created.body.id);
    }
    const page = await api.get(`/v1/deals/${ids[0]}/history?limit=1`);
    expect(page.status).toBe(200);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(page.body.nextCursor);
    expect((await api.get(`/v1/deals/${ids[0]}/history?limit=1&cursor=${cursor}`)).status).toBe(200);
    expectProblem(
      await api.get(`/v1/deals/${ids[1]}/history?limit=1&cursor=${cursor}`),
      400,
      'invalid-cursor',
    );
  });
});

describe('money', () => {
  it('answers 400 naming value.amount or value.currency, never 500, and keeps a currency’s precision', async () => {
    const api = local.api.as(FAB.admin.sub);
    const refused: [string, string][] = [
      ['{"amount":1e-131,"currency":"EUR"}', 'value.amount'],
      ['{"amount":5e-324,"currency":"EUR"}', 'value.amount'],
      ['{"amount":1e-320,"currency":"USD"}', 'value.amount'],
      ['{"amount":1e14,"currency":"EUR"}', 'value.amount'],
      ['{"amount":1.005,"currency":"EUR"}', 'value.amount'],
      ['{"amount":1.5,"currency":"JPY"}', 'value.amount'],
      ['{"amount":10,"currency":"ZZZ"}', 'value.currency'],
      ['{"amount":10,"currency":"XXX"}', 'value.currency'],
    ];
    const body = JSON.stringify(await dealBody());
    for (const [value, path] of refused) {
      const response = await api.post('/v1/deals', body.replace('{"amount":1000,"currency":"EUR"}', value));
      expectProblem(response, 400, 'validation');
      expect(response.body.errors, value).toEqual([{ path, message: expect.any(String) }]);
    }
    const dinars = await api.post('/v1/deals', await dealBody({ value: { amount: 1.005, currency: 'BHD' } }));
    expect(dinars.status).toBe(201);
    expect((await api.get(`/v1/deals/${dinars.body.id}`)).body.value).toEqual({
      amount: 1.005,
      currency: 'BHD',
    });
  });
});

describe('the customer directory', () => {
  it('lets admins add, names the holder on a D-U-N-S conflict, and lets the host correct and retire', async () => {
    const fab = local.api.as(FAB.admin.sub);
    const host = local.api.as(ORGS.host.admin.sub);
    const entry = { name: 'Squat Industries', country: 'DE', address: 'Somewhere 1', duns: '999000111' };

    expectProblem(await local.api.as(FAB.seller.sub).post('/v1/customers', entry), 403, 'role-required');
    const squatted = await local.api.as(FAB.referrals.sub).post('/v1/customers', entry);
    expect(squatted.status).toBe(201);
    expect(squatted.body.createdByOrgId).toBe((await local.demo()).orgIds.fabrikam);

    const adatum = local.api.as(ORGS.adatum.admin.sub);
    const conflict = await adatum.post('/v1/customers', { ...entry, name: 'Real Industries' });
    expectProblem(conflict, 409, 'already-exists');
    expect(conflict.body.existingCustomerId).toBe(squatted.body.id);
    expectProblem(
      await adatum.patch(`/v1/customers/${squatted.body.id}`, { name: 'Mine' }),
      403,
      'not-creator',
    );

    const corrected = await host.patch(`/v1/customers/${squatted.body.id}`, { name: 'Real Industries' });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ name: 'Real Industries', duns: '999000111' });
    const deal = await fab.post('/v1/deals', await dealBody({ customer: { id: squatted.body.id } }));
    expect(deal.status).toBe(201);

    expectProblem(await fab.delete(`/v1/customers/${squatted.body.id}`), 403, 'host-only');
    expect((await host.delete(`/v1/customers/${squatted.body.id}`)).status).toBe(204);
    expect((await fab.get('/v1/customers?duns=999000111')).body.items).toEqual([]);
    expectProblem(
      await fab.post('/v1/deals', await dealBody({ customer: { id: squatted.body.id } })),
      422,
      'unknown-customer',
    );
    // The deal made before keeps the customer as it was; the number is free for a new entry.
    expect((await fab.get(`/v1/deals/${deal.body.id}`)).body.customer).toMatchObject({
      id: squatted.body.id,
      name: 'Real Industries',
    });
    expect((await adatum.post('/v1/customers', { ...entry, name: 'Real Industries' })).status).toBe(201);
  });
});

describe('the solution catalog', () => {
  it("answers the host admin 404 for a partner's solution that is not co-sell ready, like a missing id", async () => {
    const demo = await local.demo();
    const host = local.api.as(ORGS.host.admin.sub);
    const hidden = demo.solutions['Fabrikam Internal Toolkit'];
    for (const body of [{ incentiveEligible: true }, { name: 'Renamed' }]) {
      const draft = await host.patch(`/v1/solutions/${hidden}`, body);
      const missing = await host.patch('/v1/solutions/01NOSUCHSOLUTION0000000000', body);
      expectProblem(draft, 404, 'not-found');
      expect({ ...draft.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
    }
    const mine = await local.api.as(FAB.admin.sub).get('/v1/solutions?owner=mine');
    expect(mine.body.items.find((s: { id: string }) => s.id === hidden)).toMatchObject({
      incentiveEligible: false,
      name: 'Fabrikam Internal Toolkit',
    });
  });
});
