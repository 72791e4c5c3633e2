/**
 * Money through the create and edit handlers on DynamoDB Local: amounts DynamoDB cannot store
 * (below 1e-130) and amounts finer than the currency's minor unit are 400s naming the field, never
 * 500s; a currency's full precision is stored and read back exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as create } from '#functions/http/deals/create.ts';
import { handler as get } from '#functions/http/deals/get.ts';
import { handler as update } from '#functions/http/deals/update.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';
import { expectProblem } from '#test/support/problem.ts';

let w: World;
beforeAll(async () => {
  w = await apiWorld();
});

const createWith = (value: unknown) =>
  invoke(create, { route: 'POST /v1/deals', sub: w.partner.sub, body: { ...w.input(), value } });

const errorPaths = (body: { errors: { path: string }[] }) => body.errors.map((error) => error.path);

describe('money amounts and currencies', () => {
  it('answers 400 for amounts below DynamoDB range, subnormal, huge or finer than the minor unit', async () => {
    for (const value of [
      { amount: 1e-131, currency: 'EUR' },
      { amount: 5e-324, currency: 'EUR' },
      { amount: 2.2e-309, currency: 'USD' },
      { amount: 1e13 + 1, currency: 'EUR' },
      { amount: 1e300, currency: 'EUR' },
      { amount: 1.005, currency: 'EUR' },
      { amount: 1.5, currency: 'JPY' },
      { amount: 1.0005, currency: 'BHD' },
    ]) {
      const response = await createWith(value);
      expectProblem(response, 400, 'validation');
      expect(errorPaths(response.body), JSON.stringify(value)).toEqual(['value.amount']);
    }
  });

  it('answers 400 for codes that are not an active currency', async () => {
    for (const currency of ['ZZZ', 'XXX', 'XTS', 'XAU', 'eur']) {
      const response = await createWith({ amount: 10, currency });
      expectProblem(response, 400, 'validation');
      expect(errorPaths(response.body), currency).toEqual(['value.currency']);
    }
  });

  it("stores the currency's full precision exactly and refuses a tiny amount on edit", async () => {
    const created = await createWith({ amount: 1234.567, currency: 'BHD' });
    expect(created.status).toBe(201);
    const at = { params: { id: created.body.id as string }, sub: w.partner.sub };
    const read = await invoke(get, { route: 'GET /v1/deals/{id}', ...at });
    expect(read.body.value).toEqual({ amount: 1234.567, currency: 'BHD' });
    expect((await createWith({ amount: 1e13, currency: 'JPY' })).status).toBe(201);

    const edit = await invoke(update, {
      route: 'PATCH /v1/deals/{id}',
      ...at,
      body: { value: { amount: 1e-200, currency: 'BHD' } },
    });
    expectProblem(edit, 400, 'validation');
    expect(errorPaths(edit.body)).toEqual(['value.amount']);
    expect((await invoke(get, { route: 'GET /v1/deals/{id}', ...at })).body.version).toBe(1);
  });
});
