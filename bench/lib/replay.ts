/**
 * Records the DynamoDB calls one request makes (through the functions' instrumented client) and
 * replays exactly those calls with a plain SDK client, so a route can be compared with the raw
 * DynamoDB work it does. Calls that overlapped in the recording (Promise.all in a use case) are
 * replayed concurrently, the others in order.
 *
 * Writes change state, so the recording also keeps the pre-image of every item a write targets;
 * `restore` puts those back (and deletes items that did not exist), so a write can run again on
 * the same state, through the API or raw. Restores are never timed.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as Doc from '@aws-sdk/lib-dynamodb';
import { observeDynamoCalls } from '#functions/observability.ts';
import { forwardWorkerDynamoCalls } from '#infra/local/functions.ts';

/** The functions use the document client: recorded inputs are plain JavaScript values. */
type Item = Record<string, unknown>;
type AnyInput = Record<string, unknown>;

export type RecordedCall = {
  command: string;
  input: AnyInput;
  start: number;
  end: number;
  consumed: { read: number; write: number; total: number };
  /** Items returned (Get/BatchGet/Query), for the capacity report. */
  items: number;
};

export type Recording = {
  calls: RecordedCall[];
  /** Items the writes target, keyed by `pk\0sk`, with their state before the request. */
  preImages: Map<string, { table: string; key: Item; item?: Item }>;
};

const KEY = ['pk', 'sk'] as const;
const keyOf = (item: Item): Item => ({ pk: item.pk, sk: item.sk });
const keyId = (key: Item): string => `${key.pk}\u0000${key.sk}`;

/** A document client like the functions' (same marshalling options) on a plain, uninstrumented client. */
export const rawDocumentClient = (endpoint: string): Doc.DynamoDBDocumentClient =>
  Doc.DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
  );

type Raw = Doc.DynamoDBDocumentClient;

/** The document-client command that sends a low-level command (the instrumentation sees the latter). */
const DOC_COMMANDS: Record<string, new (input: never) => Doc.GetCommand> = {
  GetItemCommand: Doc.GetCommand,
  PutItemCommand: Doc.PutCommand,
  UpdateItemCommand: Doc.UpdateCommand,
  DeleteItemCommand: Doc.DeleteCommand,
  QueryCommand: Doc.QueryCommand,
  ScanCommand: Doc.ScanCommand,
  BatchGetItemCommand: Doc.BatchGetCommand,
  BatchWriteItemCommand: Doc.BatchWriteCommand,
  TransactGetItemsCommand: Doc.TransactGetCommand,
  TransactWriteItemsCommand: Doc.TransactWriteCommand,
} as never;

/** The table items a write call targets. */
const writeTargets = (command: string, input: AnyInput): { table: string; key: Item }[] => {
  const single = (table: unknown, key: Item) => [{ table: table as string, key }];
  switch (command) {
    case 'PutItemCommand':
      return single(input.TableName, keyOf(input.Item as Item));
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return single(input.TableName, input.Key as Item);
    case 'TransactWriteItemsCommand':
      return (input.TransactItems as AnyInput[]).flatMap((entry) => {
        const put = entry.Put as AnyInput | undefined;
        const target = (entry.Update ?? entry.Delete) as AnyInput | undefined;
        if (put) return single(put.TableName, keyOf(put.Item as Item));
        if (target) return single(target.TableName, target.Key as Item);
        return [];
      });
    case 'BatchWriteItemCommand':
      return Object.entries(input.RequestItems as Record<string, AnyInput[]>).flatMap(([table, requests]) =>
        requests.map((request) => ({
          table,
          key: (request.PutRequest
            ? keyOf((request.PutRequest as AnyInput).Item as Item)
            : (request.DeleteRequest as AnyInput).Key) as Item,
        })),
      );
    default:
      return [];
  }
};

const capacityOf = (output: AnyInput) => {
  const entries = [output.ConsumedCapacity ?? []].flat() as {
    CapacityUnits?: number;
    ReadCapacityUnits?: number;
    WriteCapacityUnits?: number;
  }[];
  return entries.reduce(
    (sum, entry) => ({
      read: sum.read + (entry.ReadCapacityUnits ?? 0),
      write: sum.write + (entry.WriteCapacityUnits ?? 0),
      total: sum.total + (entry.CapacityUnits ?? 0),
    }),
    { read: 0, write: 0, total: 0 },
  );
};

const itemsOf = (output: AnyInput): number => {
  if (output.Item) return 1;
  if (Array.isArray(output.Items)) return output.Items.length;
  if (output.Responses && typeof output.Responses === 'object')
    return Object.values(output.Responses as Record<string, unknown[]>).reduce(
      (n, list) => n + list.length,
      0,
    );
  return 0;
};

/** Runs `request` and records every DynamoDB call the functions make meanwhile. */
export const record = async (raw: Raw, request: () => Promise<void>): Promise<Recording> => {
  const calls: RecordedCall[] = [];
  const preImages: Recording['preImages'] = new Map();
  forwardWorkerDynamoCalls(true);
  observeDynamoCalls(async (command, input) => {
    for (const target of writeTargets(command, input as AnyInput)) {
      const id = keyId(target.key);
      if (preImages.has(id)) continue;
      const { Item } = await raw.send(
        new Doc.GetCommand({ TableName: target.table, Key: target.key, ConsistentRead: true }),
      );
      preImages.set(id, { ...target, ...(Item ? { item: Item } : {}) });
    }
    const call: RecordedCall = {
      command,
      input: structuredClone(input) as AnyInput,
      start: performance.now(),
      end: Number.NaN,
      consumed: { read: 0, write: 0, total: 0 },
      items: 0,
    };
    calls.push(call);
    return (output) => {
      call.end = performance.now();
      call.consumed = capacityOf(output as AnyInput);
      call.items = itemsOf(output as AnyInput);
    };
  });
  try {
    await request();
  } finally {
    forwardWorkerDynamoCalls(false);
    observeDynamoCalls(undefined);
  }
  return { calls, preImages };
};

/** Puts every targeted item back as it was before the recorded request (not timed by callers). */
export const restore = async (raw: Raw, recording: Recording): Promise<void> => {
  const byTable = new Map<string, AnyInput[]>();
  for (const { table, key, item } of recording.preImages.values()) {
    const list = byTable.get(table) ?? [];
    list.push(item ? { PutRequest: { Item: item } } : { DeleteRequest: { Key: key } });
    byTable.set(table, list);
  }
  for (const [table, requests] of byTable) {
    for (let i = 0; i < requests.length; i += 25) {
      let pending: Record<string, AnyInput[]> | undefined = { [table]: requests.slice(i, i + 25) };
      while (pending && Object.keys(pending).length > 0) {
        const result = await raw.send(new Doc.BatchWriteCommand({ RequestItems: pending as never }));
        pending = result.UnprocessedItems as Record<string, AnyInput[]> | undefined;
      }
    }
  }
};

/** Calls that overlapped in time, in recorded order: each group runs concurrently, groups in sequence. */
const groups = (calls: readonly RecordedCall[]): RecordedCall[][] => {
  const result: RecordedCall[][] = [];
  let groupEnd = -Infinity;
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    if (call.start < groupEnd && result.length > 0) result.at(-1)!.push(call);
    else result.push([call]);
    groupEnd = Math.max(groupEnd, call.end);
  }
  return result;
};

const commandClass = (name: string) => {
  const found = DOC_COMMANDS[name];
  if (!found) throw new Error(`no document-client command for ${name}`);
  return found;
};

/** Sends the recorded calls again with `raw`; resolves when the last one answered. */
export const replay = async (raw: Raw, recording: Recording): Promise<void> => {
  for (const group of groups(recording.calls)) {
    await Promise.all(
      group.map((call) =>
        raw
          .send(new (commandClass(call.command))(structuredClone(call.input) as never) as never)
          .catch((error: Error) => {
            // A conditional failure the route would also have swallowed (favorite marked twice) still counts.
            if (error.name !== 'ConditionalCheckFailedException') throw error;
          }),
      ),
    );
  }
};

export const KEY_ATTRIBUTES = KEY;
