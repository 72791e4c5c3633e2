import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchGet } from '#functions/adapters/dynamo/items.ts';

type Key = { pk: string; sk: string };

/** A table that answers each BatchGetItem with what it holds but leaves `unprocessed` keys out. */
const fakeTable = (stored: Key[], unprocessed: Set<string>) => {
  const calls: string[] = [];
  const has = (key: Key) => stored.some((item) => item.pk === key.pk && item.sk === key.sk);
  const send = async (command: unknown) => {
    if (command instanceof BatchGetCommand) {
      const keys = command.input.RequestItems?.t?.Keys as Key[];
      calls.push(`batch:${keys.length}`);
      return {
        Responses: { t: keys.filter((key) => has(key) && !unprocessed.has(key.pk)) },
        UnprocessedKeys: { t: { Keys: keys.filter((key) => unprocessed.has(key.pk)) } },
      };
    }
    if (command instanceof GetCommand) {
      const key = command.input.Key as Key;
      calls.push(`get:${key.pk}`);
      return { Item: has(key) ? key : undefined };
    }
    throw new Error('unexpected command');
  };
  return { table: { db: { send } as unknown as DynamoDBDocumentClient, tableName: 't' }, calls };
};

describe('batchGet', () => {
  it('answers in key order, 100 keys per call, reading unprocessed keys one by one without pausing', async () => {
    const keys = Array.from({ length: 150 }, (_, i) => ({ pk: `K${i}`, sk: 'S' }));
    const stored = keys.filter((_, i) => i % 2 === 0);
    const { table, calls } = fakeTable(stored, new Set(['K2', 'K3', 'K120']));
    const items = await batchGet(table, keys);
    expect(items.map((item) => item?.pk)).toEqual(keys.map((key, i) => (i % 2 === 0 ? key.pk : undefined)));
    expect(calls).toEqual(['batch:100', 'get:K2', 'get:K3', 'batch:50', 'get:K120']);
  });

  it('sends nothing for no keys', async () => {
    const { table, calls } = fakeTable([], new Set());
    expect(await batchGet(table, [])).toEqual([]);
    expect(calls).toEqual([]);
  });
});
