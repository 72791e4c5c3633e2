/**
 * The local stand-in for the DynamoDB event source mapping: reads DynamoDB Local's stream of the
 * table (DescribeTable → LatestStreamArn, DescribeStream → shards, GetShardIterator, GetRecords)
 * and calls the same notification handler the Lambda runs, with Lambda-shaped records.
 *
 * Like the cloud mapping it keeps only INSERTs of outbox items (the CDK filter), hands records to
 * the handler in stream order per shard, and on a reported batch item failure (or a thrown error)
 * retries from the failed record, with a growing pause (capped at 5 s). Unlike the cloud there is
 * no retry limit and no DLQ: locally nothing is dropped, a person sees the failure in the log.
 * It starts at TRIM_HORIZON, so events written before it first started (the demo seed) are
 * delivered too. With a `checkpointFile` it remembers, per shard, the last record its consumer
 * acknowledged, and after a restart resumes after it, as the cloud mapping keeps its position: a
 * restart never replays the stream to the consumers.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import {
  type FunctionDefinition,
  NOTIFICATION_FUNCTION,
  WEBHOOK_FAN_OUT_FUNCTION,
} from '#functions/environment.ts';
import { outboxEvent } from '#functions/stream/outbox-batch.ts';
import type { BackgroundTask } from './background.ts';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

type ShardState = {
  shardId: string;
  parentShardId?: string;
  iterator?: string;
  /** Records handed to the handler and not yet acknowledged (retried from the first failure). */
  pending: DynamoDBRecord[];
  failures: number;
  retryAt: number;
  /** The shard is closed and fully read. */
  finished: boolean;
  /** The sequence number of the last record read from the shard (outbox insert or not). */
  lastRead?: string;
};

/** Where a consumer stands in a stream: the last acknowledged sequence number of each shard. */
type Checkpoint = { streamArn: string; shards: Record<string, string> };

const readCheckpoint = (file: string | undefined, streamArn: string): Checkpoint => {
  const empty = { streamArn, shards: {} };
  if (!file) return empty;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
    // Another stream (the table was recreated): its positions mean nothing here.
    return saved.streamArn === streamArn && saved.shards ? saved : empty;
  } catch {
    return empty;
  }
};

const writeCheckpoint = (file: string | undefined, checkpoint: Checkpoint): void => {
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  // Written whole and renamed, so a crash mid-write leaves the previous position, never half of one.
  writeFileSync(`${file}.tmp`, JSON.stringify(checkpoint));
  renameSync(`${file}.tmp`, file);
};

/** A stream record as the Lambda event source delivers it. */
export const lambdaRecord = (record: _Record, streamArn: string): DynamoDBRecord =>
  ({
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'local',
    eventSourceARN: streamArn,
    dynamodb: {
      ...record.dynamodb,
      ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(new Date(record.dynamodb.ApproximateCreationDateTime).getTime() / 1000)
        : undefined,
    },
  }) as DynamoDBRecord;

/** The filter of the cloud event source mapping: INSERTs of outbox items. */
export const isOutboxInsert = (record: DynamoDBRecord): boolean => outboxEvent(record) !== undefined;

export type StreamPollerOptions = {
  dynamo: DynamoDBClient;
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  region?: string;
  intervalMs?: number;
  batchSize?: number;
  start?: Extract<ShardIteratorType, 'TRIM_HORIZON' | 'LATEST'>;
  log?: (line: string) => void;
  /** Poll on a timer (default); false leaves polling to `pollOnce` (tests). */
  autoStart?: boolean;
  /** Keeps the consumer's position here, so a restart resumes after it (none: always `start`). */
  checkpointFile?: string;
};

export type StreamPoller = {
  /** Reads every shard once and runs the handler on what it found (and on pending retries that are due). */
  pollOnce: () => Promise<number>;
  stop: () => Promise<void>;
};

const MAX_PAUSE_MS = 5_000;

export const startStreamPoller = async (options: StreamPollerOptions): Promise<StreamPoller> => {
  const log = options.log ?? (() => undefined);
  const intervalMs = options.intervalMs ?? 250;
  const batchSize = options.batchSize ?? 25;
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { Table } = await options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream`);
  const shards = new Map<string, ShardState>();
  let firstDiscovery = true;
  const checkpoint = readCheckpoint(options.checkpointFile, streamArn);
  const acknowledge = (shard: ShardState, sequenceNumber: string | undefined) => {
    if (!sequenceNumber || checkpoint.shards[shard.shardId] === sequenceNumber) return;
    checkpoint.shards[shard.shardId] = sequenceNumber;
    writeCheckpoint(options.checkpointFile, checkpoint);
  };

  /** An iterator after the shard's checkpoint, or undefined when it has none (or it was trimmed). */
  const resumeIterator = async (shardId: string): Promise<string | undefined> => {
    const after = checkpoint.shards[shardId];
    if (!after) return undefined;
    try {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
          SequenceNumber: after,
        }),
      );
      return ShardIterator;
    } catch (error) {
      log(
        `✗ stream checkpoint of shard ${shardId} not usable (${(error as Error).name}); reading from its start`,
      );
      return undefined;
    }
  };

  const discover = async () => {
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({
          StreamArn: streamArn,
          ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}),
        }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || shards.has(shard.ShardId)) continue;
        // Shards that appear later are new: read them from their start, whatever the first position.
        const type = firstDiscovery ? (options.start ?? 'TRIM_HORIZON') : 'TRIM_HORIZON';
        const ShardIterator =
          (await resumeIterator(shard.ShardId)) ??
          (
            await streams.send(
              new GetShardIteratorCommand({
                StreamArn: streamArn,
                ShardId: shard.ShardId,
                ShardIteratorType: type,
              }),
            )
          ).ShardIterator;
        shards.set(shard.ShardId, {
          shardId: shard.ShardId,
          ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}),
          ...(ShardIterator ? { iterator: ShardIterator } : {}),
          pending: [],
          failures: 0,
          retryAt: 0,
          finished: !ShardIterator,
        });
      }
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    firstDiscovery = false;
  };

  /** Hands the pending records to the handler; keeps what must be retried. */
  const deliver = async (shard: ShardState) => {
    const batch = shard.pending.slice(0, batchSize);
    let retryFrom: number | undefined;
    try {
      const result = await options.handler({ Records: batch });
      const failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      const index = batch.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
      if (failed.size > 0) retryFrom = Math.max(index, 0);
    } catch (error) {
      log(`✗ stream handler threw: ${(error as Error).message}`);
      retryFrom = 0;
    }
    if (retryFrom === undefined) {
      shard.pending = shard.pending.slice(batch.length);
      shard.failures = 0;
      // Past the whole read when nothing is left: records the filter dropped need no reading again.
      acknowledge(
        shard,
        shard.pending.length === 0 ? shard.lastRead : batch.at(-1)?.dynamodb?.SequenceNumber,
      );
      return;
    }
    if (retryFrom > 0) acknowledge(shard, batch[retryFrom - 1]?.dynamodb?.SequenceNumber);
    shard.pending = shard.pending.slice(retryFrom);
    shard.failures += 1;
    const pause = Math.min(MAX_PAUSE_MS, intervalMs * 2 ** shard.failures);
    shard.retryAt = Date.now() + pause;
    log(`✗ ${shard.pending.length} outbox record(s) not handled; retrying in ${pause} ms`);
  };

  const pollShard = async (shard: ShardState): Promise<number> => {
    const parent = shard.parentShardId ? shards.get(shard.parentShardId) : undefined;
    if (parent && !parent.finished) return 0;
    if (shard.pending.length === 0 && shard.iterator) {
      const { Records, NextShardIterator } = await streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }),
      );
      shard.iterator = NextShardIterator;
      shard.pending = (Records ?? []).map((record) => lambdaRecord(record, streamArn)).filter(isOutboxInsert);
      const last = Records?.at(-1)?.dynamodb?.SequenceNumber;
      if (last) {
        shard.lastRead = last;
        if (shard.pending.length === 0) acknowledge(shard, last);
      }
    }
    if (shard.pending.length === 0) {
      if (!shard.iterator) shard.finished = true;
      return 0;
    }
    if (Date.now() < shard.retryAt) return 0;
    const count = Math.min(batchSize, shard.pending.length);
    await deliver(shard);
    return count;
  };

  const pollOnce = async (): Promise<number> => {
    await discover();
    let handled = 0;
    for (const shard of shards.values()) {
      if (!shard.finished) handled += await pollShard(shard);
    }
    return handled;
  };

  let stopped = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (stopped) return;
    inFlight = pollOnce()
      .catch((error: unknown) => log(`✗ stream poller: ${(error as Error).message}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  if (options.autoStart ?? true) loop();

  return {
    pollOnce,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
      streams.destroy();
    },
  };
};

/**
 * A background task: a poller on the runtime's table feeding one stream consumer. Each consumer has
 * its own poller (its own shard positions and retries), as each has its own event source mapping in
 * the cloud, so one consumer's failures never hold the other back.
 */
const streamConsumer = (name: string, fn: FunctionDefinition): BackgroundTask => ({
  name,
  start: async ({ dynamo, dynamoEndpoint, tableName, functions, log, dataDir }) => {
    const poller = await startStreamPoller({
      dynamo,
      endpoint: dynamoEndpoint,
      tableName,
      handler: async (event) => (await functions.invoke(fn, event)) as DynamoDBBatchResponse | undefined,
      intervalMs: Number(process.env.STREAM_POLL_INTERVAL_MS ?? 250),
      log,
      ...(dataDir ? { checkpointFile: join(dataDir, 'stream-checkpoints', `${fn.id}.json`) } : {}),
    });
    return () => poller.stop();
  },
});

export const streamPoller: BackgroundTask = streamConsumer(
  'stream poller (notifications)',
  NOTIFICATION_FUNCTION,
);

export const webhookStreamPoller: BackgroundTask = streamConsumer(
  'stream poller (webhooks)',
  WEBHOOK_FAN_OUT_FUNCTION,
);
