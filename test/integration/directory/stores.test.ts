import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Customer, Solution } from '#domain/directory/model.ts';
import { DynamoCustomerStore } from '#functions/adapters/dynamo/customer-store.ts';
import { customerKeys, solutionKeys } from '#functions/adapters/dynamo/keys.ts';
import { DynamoSolutionStore } from '#functions/adapters/dynamo/solution-store.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { ulidIds } from '#functions/adapters/system.ts';
import { createTestTable } from '#test/support/test-table.ts';

let table: TableRef;
let customers: DynamoCustomerStore;
let solutions: DynamoSolutionStore;

beforeAll(async () => {
  table = await createTestTable();
  customers = new DynamoCustomerStore(table);
  solutions = new DynamoSolutionStore(table);
});

const raw = async (key: Record<string, unknown>) =>
  (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;

const aCustomer = (overrides: Partial<Customer> = {}): Customer => ({
  id: ulidIds.next(),
  name: 'Contoso GmbH',
  country: 'DE',
  address: 'Hauptstr. 1',
  createdByOrgId: 'org-a',
  createdAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-01T09:00:00.000Z',
  version: 1,
  ...overrides,
});

const aSolution = (overrides: Partial<Solution> = {}): Solution => ({
  id: ulidIds.next(),
  ownerOrgId: 'org-a',
  kind: 'partner',
  name: 'Data Lake',
  coSellReady: true,
  incentiveEligible: false,
  createdAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-01T09:00:00.000Z',
  ...overrides,
});

describe('DynamoCustomerStore', () => {
  it('stores a customer with its D-U-N-S guard and finds it by id and by D-U-N-S', async () => {
    const customer = aCustomer({ duns: '100000001' });
    await customers.create(customer);
    expect(await customers.get(customer.id)).toEqual(customer);
    expect(await customers.getByDuns('100000001')).toEqual(customer);
    expect(await customers.getByDuns('100000009')).toBeUndefined();
    expect(await raw(customerKeys.dunsGuard('100000001'))).toMatchObject({
      type: 'DunsGuard',
      customerId: customer.id,
    });
    expect(await raw(customerKeys.item(customer.id))).toMatchObject({ type: 'Customer', version: 1 });
  });

  it('keeps D-U-N-S numbers unique, also under concurrent creates', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        customers.create(aCustomer({ name: `Race ${i}`, duns: '200000002' })),
      ),
    );
    expect(results.filter((r) => r.outcome === 'written')).toHaveLength(1);
    const winner = await customers.getByDuns('200000002');
    expect(winner?.name).toMatch(/^Race /);
    for (const r of results.filter((r) => r.outcome !== 'written'))
      expect(r).toEqual({ outcome: 'duns-taken', holderId: winner?.id });
  });

  it('moves the D-U-N-S guard with a correction, in one transaction, and refuses a taken number', async () => {
    const holder = aCustomer({ duns: '300000001' });
    const squatted = aCustomer({ name: 'Squatter entry', duns: '300000002' });
    await customers.create(holder);
    await customers.create(squatted);

    const taken = customers.update({ ...squatted, duns: '300000001', version: 2 }, squatted);
    expect(await taken).toEqual({ outcome: 'duns-taken', holderId: holder.id });
    expect(await customers.get(squatted.id)).toEqual(squatted);
    expect(await raw(customerKeys.dunsGuard('300000002'))).toMatchObject({ customerId: squatted.id });

    const corrected = { ...squatted, name: 'Right name', duns: '300000003', version: 2 };
    await customers.update(corrected, squatted);
    expect(await customers.get(squatted.id)).toEqual(corrected);
    expect(await customers.getByDuns('300000003')).toEqual(corrected);
    expect(await customers.getByDuns('300000002')).toBeUndefined();
    expect(await raw(customerKeys.dunsGuard('300000002'))).toBeUndefined();
    expect(await raw(customerKeys.dunsGuard('300000003'))).toMatchObject({ customerId: squatted.id });

    // A correction from a stale read loses: the version it read is gone.
    expect(await customers.update({ ...squatted, name: 'Stale', version: 2 }, squatted)).toEqual({
      outcome: 'stale',
    });
    const { duns: _dropped, ...withoutNumber } = { ...corrected, version: 3 };
    await customers.update(withoutNumber, corrected);
    expect(await raw(customerKeys.dunsGuard('300000003'))).toBeUndefined();
    expect(await customers.getByDuns('300000003')).toBeUndefined();
  });

  it('lets exactly one of two concurrent corrections claim the same number', async () => {
    const [a, b] = [aCustomer({ name: 'A' }), aCustomer({ name: 'B' })];
    await customers.create(a);
    await customers.create(b);
    const results = await Promise.all([
      customers.update({ ...a, duns: '400000004', version: 2 }, a),
      customers.update({ ...b, duns: '400000004', version: 2 }, b),
    ]);
    expect(results.filter((r) => r.outcome === 'written')).toHaveLength(1);
    const winner = await customers.getByDuns('400000004');
    const loser = results.find((r) => r.outcome !== 'written');
    expect(loser).toEqual({ outcome: 'duns-taken', holderId: winner?.id });
  });

  it('retires: gone from every read, its number free again, the item kept with who retired it', async () => {
    const wrong = aCustomer({ name: 'Zeta Wrong', country: 'AT', duns: '500000005' });
    await customers.create(wrong);
    await customers.retire(wrong, { at: '2026-11-05T10:00:00.000Z', byOrgId: 'org-host' });
    expect(await customers.get(wrong.id)).toBeUndefined();
    expect(await customers.getByDuns('500000005')).toBeUndefined();
    expect((await customers.searchByName('AT', 'zeta', { limit: 10 })).items).toEqual([]);
    expect(await raw(customerKeys.item(wrong.id))).toMatchObject({
      retiredAt: '2026-11-05T10:00:00.000Z',
      retiredByOrgId: 'org-host',
      version: 2,
    });
    expect(await customers.retire(wrong, { at: '2026-11-05T10:00:00.000Z', byOrgId: 'org-host' })).toEqual({
      outcome: 'stale',
    });
    expect(await customers.update({ ...wrong, version: 2 }, wrong)).toEqual({ outcome: 'stale' });
    const right = aCustomer({ name: 'Zeta Right', country: 'AT', duns: '500000005' });
    await customers.create(right);
    expect(await customers.getByDuns('500000005')).toEqual(right);
  });

  it('suggests by country and case-insensitive prefix, in name order, across pages', async () => {
    for (const name of ['Northwind B', 'northwind a', 'NORTHWIND C', 'Norrland', 'Other']) {
      await customers.create(aCustomer({ name, country: 'SE' }));
    }
    await customers.create(aCustomer({ name: 'Northwind Norway', country: 'NO' }));
    const names: string[] = [];
    let after: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await customers.searchByName('SE', 'NorthWind', { limit: 2, ...(after ? { after } : {}) });
      names.push(...page.items.map((c) => c.name));
      after = page.next;
      pages++;
    } while (after);
    expect(names).toEqual(['northwind a', 'Northwind B', 'NORTHWIND C']);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect((await customers.searchByName('SE', '', { limit: 10 })).items).toHaveLength(5);
  });
});

describe('DynamoSolutionStore', () => {
  it('lists by owner, by kind, and other partners’ co-sell-ready solutions', async () => {
    const mine = aSolution({ ownerOrgId: 'org-me', coSellReady: false });
    const mineReady = aSolution({ ownerOrgId: 'org-me' });
    const theirs = aSolution({ ownerOrgId: 'org-other' });
    const theirsDraft = aSolution({ ownerOrgId: 'org-other', coSellReady: false });
    const host = aSolution({ ownerOrgId: 'org-host', kind: 'host', coSellReady: false });
    const assessment = aSolution({ ownerOrgId: 'org-host', kind: 'assessment' });
    for (const s of [mine, mineReady, theirs, theirsDraft, host, assessment]) await solutions.create(s, 0);

    expect((await solutions.list({ ownerOrgId: 'org-me' }, { limit: 10 })).items).toEqual([mine, mineReady]);
    expect((await solutions.list({ coSellReadyPartnersExcept: 'org-me' }, { limit: 10 })).items).toEqual([
      theirs,
    ]);
    expect((await solutions.list({ kind: 'host' }, { limit: 10 })).items).toEqual([host]);
    expect((await solutions.list({ kind: 'assessment' }, { limit: 10 })).items).toEqual([assessment]);
    expect(await solutions.getMany([assessment.id, 'missing', mine.id, mine.id])).toEqual([assessment, mine]);
  });

  it('moves a partner solution in and out of the co-sell-ready listing when the flag changes', async () => {
    const draft = aSolution({ ownerOrgId: 'org-flip', coSellReady: false });
    await solutions.create(draft, 0);
    const listed = async () =>
      (await solutions.list({ coSellReadyPartnersExcept: 'org-x' }, { limit: 100 })).items.some(
        (s) => s.id === draft.id,
      );
    expect(await listed()).toBe(false);

    const ready = { ...draft, coSellReady: true, updatedAt: '2026-11-02T00:00:00.000Z' };
    await solutions.update(ready, draft.updatedAt, 0);
    expect(await listed()).toBe(true);
    expect(await raw(solutionKeys.item(draft.id))).toMatchObject({ version: 2 });

    await solutions.update(
      { ...ready, coSellReady: false, updatedAt: '2026-11-03T00:00:00.000Z' },
      ready.updatedAt,
      0,
    );
    expect(await listed()).toBe(false);
    expect(await solutions.get(draft.id)).toMatchObject({
      coSellReady: false,
      updatedAt: '2026-11-03T00:00:00.000Z',
    });
  });

  it('refuses a stale update and an update of a missing solution', async () => {
    const solution = aSolution();
    await solutions.create(solution, 0);
    expect(await solutions.create(solution, 0)).toBe('exists');
    const results = await Promise.all([
      solutions.update(
        { ...solution, name: 'One', updatedAt: '2026-11-02T00:00:00.001Z' },
        solution.updatedAt,
        0,
      ),
      solutions.update(
        { ...solution, name: 'Two', updatedAt: '2026-11-02T00:00:00.002Z' },
        solution.updatedAt,
        0,
      ),
    ]);
    expect(results.sort()).toEqual(['stale', 'written']);
    expect(await solutions.update(aSolution(), '2026-11-01T09:00:00.000Z', 0)).toBe('missing');
  });
});
