/**
 * The due-time partitions of gsi4 are sharded (keys.ts): writes spread over the shards, and the
 * sweeps read every shard and the unsharded partition that items written before the sharding sit in,
 * so nothing due is missed or read twice, on DynamoDB Local.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PageKey } from '#domain/kernel/page.ts';
import { type Item, queryDueShards, queryDueShardsPage } from '#functions/adapters/dynamo/items.ts';
import { DUE_SHARDS, dealKeys, webhookDeliveryKeys } from '#functions/adapters/dynamo/keys.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { createTestTable } from '#test/support/test-table.ts';

let table: TableRef;
beforeAll(async () => {
  table = await createTestTable();
});

const put = (item: Item) => table.db.send(new PutCommand({ TableName: table.tableName, Item: item }));
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 9, minute)).toISOString();
const NOW = at(59);

describe('sharded due partitions on DynamoDB Local', () => {
  it('walks every due invitation once, over all shards and the partition written before sharding', async () => {
    const due = Array.from({ length: 30 }, (_, i) => `01JDUEDEAL${String(i).padStart(16, '0')}`);
    for (const [i, dealId] of due.entries())
      await put({
        pk: `DEAL#${dealId}`,
        sk: 'DEAL',
        ...dealKeys.byNextInvitationAction(at(i), 'org-a', dealId),
      });
    // Written by the release before: the unsharded partition.
    const legacy = '01JDUEDEALLEGACY0000000000';
    await put({ pk: `DEAL#${legacy}`, sk: 'DEAL', gsi4pk: 'RECEIVED', gsi4sk: `${at(40)}#org-a#${legacy}` });
    // Not due yet: never read.
    const later = '01JDUEDEALLATER00000000000';
    await put({
      pk: `DEAL#${later}`,
      sk: 'DEAL',
      ...dealKeys.byNextInvitationAction(at(60 * 24), 'org-a', later),
    });

    const seen: string[] = [];
    let after: PageKey | undefined;
    do {
      const page = await queryDueShardsPage(table, dealKeys.invitationActionsBefore(NOW), {
        limit: 4,
        ...(after ? { after } : {}),
      });
      seen.push(...page.items.map((item) => String(item.pk).slice('DEAL#'.length)));
      after = page.next;
    } while (after);

    expect(seen.sort()).toEqual([...due, legacy].sort());
    const shards = new Set(
      due.map((dealId) => dealKeys.byNextInvitationAction(at(0), 'org-a', dealId).gsi4pk),
    );
    expect(shards.size).toBeGreaterThan(DUE_SHARDS.RECEIVED / 2);
  });

  it('answers the earliest deliveries due over every shard, oldest first', async () => {
    const deliveries = Array.from({ length: 20 }, (_, i) => ({
      id: `01JDUEDELIVERY${String(i).padStart(12, '0')}`,
      dueAt: at(59 - i),
    }));
    for (const { id, dueAt } of deliveries)
      await put({
        pk: 'WEBHOOK#hook-a',
        sk: `DELIVERY#${id}`,
        ...webhookDeliveryKeys.byDueTime(dueAt, 'hook-a', id),
      });
    const legacy = { id: '01JDUEDELIVERYLEGACY000000', dueAt: at(0) };
    await put({
      pk: 'WEBHOOK#hook-a',
      sk: `DELIVERY#${legacy.id}`,
      gsi4pk: 'WEBHOOK-DELIVERIES',
      gsi4sk: `${legacy.dueAt}#hook-a#${legacy.id}`,
    });

    const earliest = await queryDueShards(table, webhookDeliveryKeys.dueBefore(NOW), 5);
    const expected = [legacy, ...deliveries]
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      .slice(0, 5)
      .map(({ id }) => `DELIVERY#${id}`);
    expect(earliest.map((item) => item.sk)).toEqual(expected);
  });
});
