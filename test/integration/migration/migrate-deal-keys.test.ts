import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import { changePlan, dealState } from '#domain/deals/rules/plan.ts';
import {
  DynamoDealStore,
  dealItem,
  engagementItem,
  historyItem,
} from '#functions/adapters/dynamo/deal-store.ts';
import { dealKeys, legacyDealKeys } from '#functions/adapters/dynamo/keys.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { migrateDealKeys } from '#infra/scripts/migrate-deal-keys.ts';
import { aDeal, anActor, createdEntry, engagementOf } from '#test/support/builders.ts';
import { createTestTable } from '#test/support/test-table.ts';

let table: TableRef;
let store: DynamoDealStore;

const put = (item: Record<string, unknown>) =>
  table.db.send(new PutCommand({ TableName: table.tableName, Item: item }));

const raw = async (key: Record<string, string>) =>
  (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;

/** A deal as release 1 wrote it: in its org's partition, everything else as today. */
const writeOldLayout = async (deal: Deal) => {
  await put({ ...dealItem(dealState(deal)), ...legacyDealKeys.item(deal.orgId, deal.id) });
  await put(engagementItem(engagementOf(deal)));
  await put(historyItem(createdEntry(deal)));
};

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoDealStore(table);
});

describe('infra/scripts/migrate-deal-keys.ts on a table written in the old layout', () => {
  it('moves every deal copy to its own key, keeps index keys, history and marks, and is idempotent', async () => {
    const older = aDeal({ orgId: 'org-mig' });
    const newer = aDeal({ orgId: 'org-mig' });
    const inbound = aDeal({ orgId: 'org-mig', direction: 'inbound', status: 'received' });
    const other = aDeal({ orgId: 'org-else' });
    for (const deal of [older, newer, inbound, other]) await writeOldLayout(deal);
    await store.setFavorite('fan', older, true, '2026-01-01T00:00:00.000Z');
    // Not a deal, though its keys look alike: the migration must leave it alone.
    await put({ pk: 'ORG#org-mig', sk: 'DEAL#not-a-deal', type: 'Something', version: 1 });

    // Before the migration the store does not find the old items by id.
    expect(await store.get('org-mig', older.id, 'fan')).toBeUndefined();

    const first = await migrateDealKeys(table, { segments: 3 });
    expect(first).toMatchObject({ found: 4, moved: 4, skipped: 0 });

    expect(await store.get('org-mig', older.id, 'fan')).toEqual({ deal: older, favorite: true });
    expect(await store.get('org-else', older.id, 'fan')).toBeUndefined();
    expect(await raw(legacyDealKeys.item(older.orgId, older.id))).toBeUndefined();
    expect(await raw({ pk: 'ORG#org-mig', sk: 'DEAL#not-a-deal' })).toBeDefined();
    expect(await raw(dealKeys.item(other.id))).toMatchObject({ orgId: 'org-else' });

    const outbound = await store.list(
      { orgId: 'org-mig', source: { by: 'direction', direction: 'outbound' } },
      'fan',
      { limit: 10 },
    );
    expect(outbound.items.map((view) => view.deal.id)).toEqual([newer.id, older.id]);
    expect((await store.listFavorites('fan', { limit: 10 })).items.map((view) => view.deal.id)).toEqual([
      older.id,
    ]);
    expect((await store.recentDeals('org-mig', 10)).map((deal) => deal.id)).toEqual([
      inbound.id,
      newer.id,
      older.id,
    ]);
    expect((await store.history(older.id, { limit: 10 })).items).toHaveLength(1);

    // A migrated deal takes writes conditioned on its version like any other.
    const renamed = { ...older, name: 'Renamed after the migration', version: older.version + 1 };
    const plan = changePlan(
      { next: () => 'HIST-AFTER-MIGRATION' },
      {
        previous: older,
        next: renamed,
        action: 'updated',
        actor: anActor({ orgId: 'org-mig' }),
        events: [],
      },
    );
    expect(await store.commit(plan)).toBe('committed');
    expect((await store.get('org-mig', older.id, 'fan'))?.deal.name).toBe('Renamed after the migration');

    const second = await migrateDealKeys(table, { segments: 2 });
    expect(second).toMatchObject({ found: 0, moved: 0, skipped: 0 });
    expect(second.scanned).toBeGreaterThan(0);
  });
});
