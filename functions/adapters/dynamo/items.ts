/**
 * Translating between stored items and domain records, and the few DynamoDB chores every adapter
 * shares (batch reads that may come back partial, page keys).
 */
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { PageKey, PageRequest } from '#domain/ports.ts';
import { keyAttributeNames } from './table.ts';
import type { TableRef } from './table-ref.ts';

const STORAGE_ONLY = new Set([...keyAttributeNames(), 'type', 'ttl']);

/** The record without key attributes and the entity tag: what the domain stored. */
export const fromItem = <T>(item: Record<string, unknown>): T =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ONLY.has(name))) as T;

export type Key = { pk: string; sk: string };

/** BatchGetItem for up to 100 keys, retrying what DynamoDB leaves unprocessed; order follows `keys`. */
export const batchGet = async (
  { db, tableName }: TableRef,
  keys: readonly Key[],
  consistent = false,
): Promise<(Record<string, unknown> | undefined)[]> => {
  if (keys.length === 0) return [];
  const found = new Map<string, Record<string, unknown>>();
  let request: BatchGetCommandInput['RequestItems'] = {
    [tableName]: { Keys: keys.map(({ pk, sk }) => ({ pk, sk })), ConsistentRead: consistent },
  };
  for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
    const result: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: request }));
    for (const item of result.Responses?.[tableName] ?? []) found.set(`${item.pk}\u0000${item.sk}`, item);
    request = result.UnprocessedKeys;
  }
  return keys.map(({ pk, sk }) => found.get(`${pk}\u0000${sk}`));
};

export const queryPage = (page: PageRequest) => ({
  Limit: page.limit,
  ...(page.after ? { ExclusiveStartKey: page.after } : {}),
});

export const nextKey = (lastEvaluatedKey: Record<string, unknown> | undefined): { next?: PageKey } =>
  lastEvaluatedKey ? { next: lastEvaluatedKey } : {};

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * An UpdateExpression that turns an item holding `before` into one holding `after`: SET for new or
 * changed attributes, REMOVE for vanished ones, plus `always` (e.g. the new version) set regardless.
 */
export const updateExpression = (
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  always: Record<string, unknown> = {},
  /** Nested attributes to set, e.g. `[['participants', orgId, 'status'], 'won']`. */
  nested: [path: string[], value: unknown][] = [],
) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  const changed = {
    ...Object.fromEntries(Object.entries(after).filter(([name, value]) => !sameValue(before[name], value))),
    ...always,
  };
  Object.entries(changed).forEach(([name, value], i) => {
    if (value === undefined) return;
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  });
  nested.forEach(([path, value], i) => {
    const placeholders = path.map((part, j) => {
      names[`#n${i}_${j}`] = part;
      return `#n${i}_${j}`;
    });
    values[`:n${i}`] = value;
    sets.push(`${placeholders.join('.')} = :n${i}`);
  });
  Object.keys(before)
    .filter((name) => after[name] === undefined && !(name in always))
    .forEach((name, i) => {
      names[`#r${i}`] = name;
      removes.push(`#r${i}`);
    });
  return {
    UpdateExpression: [
      sets.length ? `SET ${sets.join(', ')}` : '',
      removes.length ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};
