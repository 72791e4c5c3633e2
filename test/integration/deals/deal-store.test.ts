import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDealStore } from '#functions/adapters/dynamo/deal-store.ts';
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

    const first = await store.list({ orgId: 'org-list', direction: 'outbound' }, 'u', { limit: 2 });
    expect(first.items.map((view) => view.deal.id)).toEqual([newest.id, won.id]);
    expect(first.next).toBeDefined();
    const second = await store.list({ orgId: 'org-list', direction: 'outbound' }, 'u', {
      limit: 2,
      ...(first.next ? { after: first.next } : {}),
    });
    expect(second.items.map((view) => view.deal.id)).toEqual([older.id]);

    const onlyWon = await store.list({ orgId: 'org-list', direction: 'outbound', status: 'won' }, 'u', {
      limit: 10,
    });
    expect(onlyWon.items.map((view) => view.deal.id)).toEqual([won.id]);
    const inbound = await store.list({ orgId: 'org-list', direction: 'inbound' }, 'u', { limit: 10 });
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
    const listed = await store.list({ orgId: 'org-fav', direction: 'outbound' }, 'fan', { limit: 10 });
    expect(listed.items.every((view) => view.favorite)).toBe(true);

    await store.setFavorite('fan', a, false, '2026-01-04T00:00:00.000Z');
    await store.setFavorite('fan', a, false, '2026-01-04T00:00:00.000Z');
    expect((await store.listFavorites('fan', { limit: 10 })).items.map((view) => view.deal.id)).toEqual([
      b.id,
    ]);
  });
});
