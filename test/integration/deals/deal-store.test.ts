import { beforeAll, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import type { StoredDeal } from '#domain/deals/ports.ts';
import { type DealPlan, dealState } from '#domain/deals/rules/plan.ts';
import type { Page } from '#domain/kernel/page.ts';
import { DynamoDealStore, FILTERED_PAGE_BUDGET } from '#functions/adapters/dynamo/deal-store.ts';
import { aDeal, createdPlan } from '#test/support/builders.ts';
import { createTestTable } from '#test/support/test-table.ts';

let store: DynamoDealStore;

const save = async (...overrides: Parameters<typeof aDeal>) => {
  const deal = aDeal(...overrides);
  await store.commit(createdPlan(deal));
  return deal;
};

beforeAll(async () => {
  store = new DynamoDealStore(await createTestTable());
});

describe('DynamoDealStore on DynamoDB Local', () => {
  it('reads back what it created, scoped to the org', async () => {
    const deal = await save({ orgId: 'org-a' });
    expect(await store.get('org-a', deal.id, 'someone')).toEqual({ deal, favorite: false });
    expect(await store.get('org-b', deal.id, 'someone')).toBeUndefined();
  });

  it('refuses to create the same deal twice and writes nothing the second time', async () => {
    const deal = await save({ orgId: 'org-a' });
    const second = { ...deal, name: 'changed' };
    expect(await store.commit(createdPlan(second))).toBe('conflict');
    expect((await store.get('org-a', deal.id, 'x'))?.deal.name).toBe(deal.name);
    expect((await store.history(deal.id, { limit: 10 })).items).toHaveLength(1);
  });

  it('lists an org direction newest first, pages with the returned key, and filters by status', async () => {
    const older = await save({ orgId: 'org-list' });
    const won = await save({ orgId: 'org-list', status: 'won' });
    const newest = await save({ orgId: 'org-list' });
    await save({ orgId: 'org-list', direction: 'inbound', status: 'received' });
    await save({ orgId: 'org-other' });

    const first = await store.list(
      { orgId: 'org-list', source: { by: 'direction', direction: 'outbound' } },
      'u',
      { limit: 2 },
    );
    expect(first.items.map((view) => view.deal.id)).toEqual([newest.id, won.id]);
    expect(first.next).toBeDefined();
    const second = await store.list(
      { orgId: 'org-list', source: { by: 'direction', direction: 'outbound' } },
      'u',
      {
        limit: 2,
        ...(first.next ? { after: first.next } : {}),
      },
    );
    expect(second.items.map((view) => view.deal.id)).toEqual([older.id]);

    const onlyWon = await store.list(
      { orgId: 'org-list', source: { by: 'direction', direction: 'outbound', status: 'won' } },
      'u',
      {
        limit: 10,
      },
    );
    expect(onlyWon.items.map((view) => view.deal.id)).toEqual([won.id]);
    const inbound = await store.list(
      { orgId: 'org-list', source: { by: 'direction', direction: 'inbound' } },
      'u',
      { limit: 10 },
    );
    expect(inbound.items).toHaveLength(1);
  });

  it('keeps favorites per user, idempotently, most recently marked first', async () => {
    const a = await save({ orgId: 'org-fav' });
    const b = await save({ orgId: 'org-fav' });
    await store.setFavorite('fan', a, true, '2026-01-01T00:00:00.000Z');
    await store.setFavorite('fan', b, true, '2026-01-02T00:00:00.000Z');
    // Marking again keeps the first time, so `a` stays behind `b`.
    await store.setFavorite('fan', a, true, '2026-01-03T00:00:00.000Z');

    const page = await store.listFavorites('fan', { limit: 10 });
    expect(page.items.map((view) => [view.deal.id, view.favorite])).toEqual([
      [b.id, true],
      [a.id, true],
    ]);
    expect((await store.get('org-fav', a.id, 'fan'))?.favorite).toBe(true);
    expect((await store.get('org-fav', a.id, 'someone-else'))?.favorite).toBe(false);
    const listed = await store.list(
      { orgId: 'org-fav', source: { by: 'direction', direction: 'outbound' } },
      'fan',
      { limit: 10 },
    );
    expect(listed.items.every((view) => view.favorite)).toBe(true);

    await store.setFavorite('fan', a, false, '2026-01-04T00:00:00.000Z');
    await store.setFavorite('fan', a, false, '2026-01-04T00:00:00.000Z');
    expect((await store.listFavorites('fan', { limit: 10 })).items.map((view) => view.deal.id)).toEqual([
      b.id,
    ]);
  });
});

const changePlan = (deal: Deal, changes: Partial<Deal>): DealPlan => ({
  created: [],
  changed: {
    previous: dealState(deal),
    next: dealState({ ...deal, ...changes, version: deal.version + 1 }),
  },
  history: [],
  answers: [],
  events: [],
});

const ids = (page: Page<StoredDeal>) => page.items.map((view) => view.deal.id);

describe('DynamoDealStore lists for connectors', () => {
  const at = (second: number) => `2027-03-01T00:00:${String(second).padStart(2, '0')}.000Z`;

  it('syncs every deal of the org oldest change first, within the instants, both directions', async () => {
    const first = await save({ orgId: 'org-sync', updatedAt: at(10) });
    const inbound = await save({
      orgId: 'org-sync',
      direction: 'inbound',
      status: 'received',
      updatedAt: at(20),
    });
    const third = await save({ orgId: 'org-sync', updatedAt: at(30) });
    await save({ orgId: 'org-sync', updatedAt: at(5) });
    await save({ orgId: 'org-sync', updatedAt: at(50) });
    await save({ orgId: 'org-sync-other', updatedAt: at(20) });
    const source = { by: 'updated', since: at(10), until: at(30) } as const;

    const page1 = await store.list({ orgId: 'org-sync', source }, 'u', { limit: 2 });
    expect(ids(page1)).toEqual([first.id, inbound.id]);
    // A deal changed while the client pages moves behind the cursor: it comes again, later.
    await store.commit(changePlan(first, { updatedAt: at(25), name: 'renamed' }));
    const page2 = await store.list({ orgId: 'org-sync', source }, 'u', {
      limit: 2,
      ...(page1.next ? { after: page1.next } : {}),
    });
    expect(ids(page2)).toEqual([first.id, third.id]);
    expect(page2.items[0]?.deal.name).toBe('renamed');
  });

  it('reads at most the page budget with a filter and continues right after the last deal returned', async () => {
    const deals: Deal[] = [];
    for (let i = 0; i < 6; i += 1)
      deals.push(await save({ orgId: 'org-keep', location: i % 2 === 0 ? 'DE' : 'FR', updatedAt: at(i) }));
    const source = { by: 'direction', direction: 'outbound' } as const;
    const keep = (deal: Deal) => deal.location === 'DE';
    const page1 = await store.list({ orgId: 'org-keep', source, keep }, 'u', { limit: 2 });
    expect(ids(page1)).toEqual([deals[4]?.id, deals[2]?.id]);
    const page2 = await store.list({ orgId: 'org-keep', source, keep }, 'u', {
      limit: 2,
      ...(page1.next ? { after: page1.next } : {}),
    });
    expect(ids(page2)).toEqual([deals[0]?.id]);
    expect(page2.next).toBeUndefined();

    // More non-matching entries than the budget: the page is empty but bounded, and continues.
    for (let i = 0; i < FILTERED_PAGE_BUDGET + 1; i += 1) await save({ orgId: 'org-sparse', location: 'FR' });
    const sparse = await store.list({ orgId: 'org-sparse', source, keep }, 'u', { limit: 10 });
    expect(sparse.items).toEqual([]);
    expect(sparse.next).toBeDefined();
  });

  it('finds a deal by its CRM id with one read, and forgets an id once it is removed', async () => {
    const older = await save({ orgId: 'org-crm', crmId: 'OPP-1#x' });
    const newer = await save({ orgId: 'org-crm', crmId: 'OPP-1#x' });
    await save({ orgId: 'org-crm-other', crmId: 'OPP-1#x' });
    const byCrm = (crmId: string) =>
      store.list({ orgId: 'org-crm', source: { by: 'crmId', crmId } }, 'u', { limit: 25 });
    expect(ids(await byCrm('OPP-1#x'))).toEqual([newer.id]);
    expect((await byCrm('OPP-1')).items).toEqual([]);

    const { crmId: _removed, ...withoutCrmId } = newer;
    await store.commit({
      ...changePlan(newer, {}),
      changed: {
        previous: dealState(newer),
        next: dealState({ ...withoutCrmId, version: newer.version + 1 }),
      },
    });
    expect(ids(await byCrm('OPP-1#x'))).toEqual([older.id]);
  });
});
