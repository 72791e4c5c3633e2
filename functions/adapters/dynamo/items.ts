/**
 * Translating between stored items and domain records, and the DynamoDB reads every adapter shares:
 * single items, batches, index queries and page keys. No helper here pauses or retries on its own:
 * throttling and network failures are the SDK's retry strategy, lost races the domain's
 * (`domain/kernel/retry.ts`).
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { PageKey, PageRequest } from '#domain/kernel/page.ts';
import { sameJson } from '#domain/kernel/same-json.ts';
import { type IndexName, indexByName, keyAttributeNames, TABLE_KEYS, TTL_ATTRIBUTE } from './table.ts';
import type { TableRef } from './table-ref.ts';

export type Item = Record<string, unknown>;
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const STORAGE_ONLY = new Set([...keyAttributeNames(), 'type', TTL_ATTRIBUTE]);

/** The record without key attributes and the entity tag: what the domain stored. */
export const fromItem = <T>(item: Item): T => {
  // A plain loop: every item of every page passes here, and entries/filter/fromEntries cost a
  // measurable share of a list page's CPU (docs/benchmarks.md).
  const record: Item = {};
  for (const name in item) if (!STORAGE_ONLY.has(name)) record[name] = item[name];
  return record as T;
};

export type Key = { pk: string; sk: string };

/** A put's condition that no item has this key yet. */
export const notExists = {
  ConditionExpression: 'attribute_not_exists(#pk)',
  ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
};

/** One strongly consistent GetItem. */
export const getItem = async ({ db, tableName }: TableRef, key: Item): Promise<Item | undefined> =>
  (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

/** What BatchGetItem takes per call. */
const BATCH_LIMIT = 100;

/**
 * The items of any number of keys, in the order of `keys` (undefined where none is stored), with
 * one BatchGetItem per 100 keys. Keys DynamoDB leaves unprocessed (it was throttled) are read one by
 * one with GetItem, whose throttling the SDK's retry strategy backs off, so no pause lives here.
 */
export const batchGet = async (
  table: TableRef,
  keys: readonly Key[],
  consistent = false,
): Promise<(Item | undefined)[]> => {
  const { db, tableName } = table;
  const found = new Map<string, Item>();
  const id = ({ pk, sk }: Key | Item) => `${pk}\u0000${sk}`;
  for (let start = 0; start < keys.length; start += BATCH_LIMIT) {
    const chunk = keys.slice(start, start + BATCH_LIMIT).map(({ pk, sk }) => ({ pk, sk }));
    const result: BatchGetCommandOutput = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: chunk, ConsistentRead: consistent } } }),
    );
    for (const item of result.Responses?.[tableName] ?? []) found.set(id(item), item);
    for (const key of result.UnprocessedKeys?.[tableName]?.Keys ?? []) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: key, ConsistentRead: consistent }),
      );
      if (Item) found.set(id(Item), Item);
    }
  }
  return keys.map((key) => found.get(id(key)));
};

/**
 * The key condition of a Query for the items of one table partition under a sort-key prefix (the
 * `{ pk, skPrefix }` that keys.ts gives for such a partition). Callers with a filter add their own
 * names and values beside these.
 */
export const partitionPrefix = (partition: { pk: string; skPrefix: string }) => ({
  KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
  ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#sk': TABLE_KEYS.sortKey },
  ExpressionAttributeValues: { ':pk': partition.pk, ':prefix': partition.skPrefix },
});

/** One Query page of a table partition under a sort-key prefix, in sort-key order or (`newestFirst`) reversed. */
export const queryPartition = async (
  { db, tableName }: TableRef,
  partition: { pk: string; skPrefix: string },
  page: PageRequest,
  options: { newestFirst?: boolean } = {},
): Promise<{ items: Item[]; next?: PageKey }> => {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      ...partitionPrefix(partition),
      ...(options.newestFirst ? { ScanIndexForward: false } : {}),
      ...queryPage(page),
    }),
  );
  return { items: result.Items ?? [], ...nextKey(result.LastEvaluatedKey) };
};

export const queryPage = (page: PageRequest) => ({
  Limit: page.limit,
  ...(page.after ? { ExclusiveStartKey: page.after } : {}),
});

export const nextKey = (lastEvaluatedKey: Record<string, unknown> | undefined): { next?: PageKey } =>
  lastEvaluatedKey ? { next: lastEvaluatedKey } : {};

/**
 * One Query on an index (keys.ts builds these): its partition, and optionally the sort keys that
 * start with `prefix`, or sort below `below` (and, with `from`, at or after `from`).
 */
export type IndexQuery = {
  index: IndexName;
  partition: string;
  prefix?: string;
  below?: string;
  from?: string;
};

const sortConditionOf = (query: IndexQuery): { expression: string; values: Item } | undefined => {
  if (query.prefix !== undefined && query.prefix !== '')
    return { expression: ' AND begins_with(#sk, :sk)', values: { ':sk': query.prefix } };
  if (query.from !== undefined && query.below !== undefined)
    // BETWEEN includes its upper end; no key equals `below` itself (it ends in a separator).
    return {
      expression: ' AND #sk BETWEEN :from AND :sk',
      values: { ':from': query.from, ':sk': query.below },
    };
  if (query.below !== undefined) return { expression: ' AND #sk < :sk', values: { ':sk': query.below } };
  if (query.from !== undefined) return { expression: ' AND #sk >= :from', values: { ':from': query.from } };
  return undefined;
};

/** The page key DynamoDB would return had a Query on `index` stopped at `item`. */
export const pageKeyAt = (item: Item, index: IndexName): PageKey => {
  const { partitionKey, sortKey } = indexByName(index);
  return Object.fromEntries(
    [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, partitionKey, sortKey].map((name) => [name, item[name]]),
  );
};

/** One Query page on an index, optionally filtered, in sort-key order or (`newestFirst`) reversed. */
export const queryIndex = async (
  { db, tableName }: TableRef,
  query: IndexQuery,
  page: PageRequest,
  options: {
    newestFirst?: boolean;
    filter?: Pick<
      QueryCommandInput,
      'FilterExpression' | 'ExpressionAttributeValues' | 'ExpressionAttributeNames'
    >;
  } = {},
): Promise<{ items: Item[]; next?: PageKey }> => {
  const index = indexByName(query.index);
  const { filter } = options;
  const sortCondition = sortConditionOf(query);
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: `#pk = :pk${sortCondition?.expression ?? ''}`,
      ExpressionAttributeNames: {
        '#pk': index.partitionKey,
        ...(sortCondition ? { '#sk': index.sortKey } : {}),
        ...filter?.ExpressionAttributeNames,
      },
      ExpressionAttributeValues: {
        ':pk': query.partition,
        ...sortCondition?.values,
        ...filter?.ExpressionAttributeValues,
      },
      ...(filter?.FilterExpression ? { FilterExpression: filter.FilterExpression } : {}),
      ...(options.newestFirst ? { ScanIndexForward: false } : {}),
      ...queryPage(page),
    }),
  );
  return { items: result.Items ?? [], ...nextKey(result.LastEvaluatedKey) };
};

/**
 * The `limit` earliest items due over the shards of one due partition (keys.ts): every shard is
 * read in parallel, up to `limit` each so that a backlog in one shard drains as fast as an unsharded
 * partition would, and the earliest sort keys win.
 */
export const queryDueShards = async (
  table: TableRef,
  shards: IndexQuery[],
  limit: number,
): Promise<Item[]> => {
  const pages = await Promise.all(shards.map((shard) => queryIndex(table, shard, { limit })));
  const { sortKey } = indexByName(shards[0]?.index ?? 'gsi4');
  return pages
    .flatMap((page) => page.items)
    .sort((a, b) => String(a[sortKey]).localeCompare(String(b[sortKey])))
    .slice(0, limit);
};

/** Where a walk over the shards of a due partition stands: the shard, and the key within it. */
type ShardCursor = { shard: number; key?: PageKey };

/**
 * One page of a walk over every item due in the shards of one due partition, shard after shard;
 * the page key says which shard and where in it, so a walk that stops and resumes misses nothing.
 */
export const queryDueShardsPage = async (
  table: TableRef,
  shards: IndexQuery[],
  page: PageRequest,
): Promise<{ items: Item[]; next?: PageKey }> => {
  const at = (page.after as ShardCursor | undefined) ?? { shard: 0 };
  const shard = shards[at.shard];
  if (!shard) return { items: [] };
  const result = await queryIndex(table, shard, { limit: page.limit, ...(at.key ? { after: at.key } : {}) });
  const next: ShardCursor | undefined = result.next
    ? { shard: at.shard, key: result.next }
    : at.shard + 1 < shards.length
      ? { shard: at.shard + 1 }
      : undefined;
  return { items: result.items, ...(next ? { next } : {}) };
};

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
    ...Object.fromEntries(Object.entries(after).filter(([name, value]) => !sameJson(before[name], value))),
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
