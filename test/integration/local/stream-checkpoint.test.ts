/**
 * The local stream poller keeps its consumer's position, as the cloud's event source mapping does:
 * a poller started again (a restart of the local runtime) resumes after the last acknowledged
 * record instead of replaying the stream from its start.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';

let w: World & { tableName: string };
let dynamo: DynamoDBClient;
const checkpointFile = join(
  tmpdir(),
  `co-sell-checkpoint-${randomBytes(6).toString('hex')}`,
  'consumer.json',
);

beforeAll(async () => {
  w = await apiWorld();
  dynamo = new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(() => dynamo?.destroy());

/** A poller (as after a start of the runtime) that collects what its consumer is handed. */
const consumer = async (options: { checkpoint: boolean; fail?: () => boolean }) => {
  const seen: DynamoDBRecord[] = [];
  const poller: StreamPoller = await startStreamPoller({
    dynamo,
    endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    tableName: w.tableName,
    autoStart: false,
    intervalMs: 0,
    batchSize: 1000,
    ...(options.checkpoint ? { checkpointFile } : {}),
    handler: async (event) => {
      if (options.fail?.()) throw new Error('consumer down');
      seen.push(...event.Records);
      return { batchItemFailures: [] };
    },
  });
  return { seen, poller };
};

describe('the local stream poller after a restart', () => {
  it('resumes after the last acknowledged record instead of replaying the stream', async () => {
    await w.invited(w.partner, w.other);
    const first = await consumer({ checkpoint: true });
    await first.poller.pollOnce();
    await first.poller.stop();
    expect(first.seen.length).toBeGreaterThan(0);
    expect(Object.keys(JSON.parse(readFileSync(checkpointFile, 'utf8')).shards).length).toBeGreaterThan(0);

    // Restarted: nothing old again; only what happened since.
    const restarted = await consumer({ checkpoint: true });
    await restarted.poller.pollOnce();
    expect(restarted.seen).toEqual([]);
    await w.invited(w.partner, w.other);
    await restarted.poller.pollOnce();
    await restarted.poller.stop();
    const seenIds = new Set(first.seen.map((record) => record.eventID));
    expect(restarted.seen.length).toBeGreaterThan(0);
    expect(restarted.seen.filter((record) => seenIds.has(record.eventID))).toEqual([]);

    // Without a checkpoint the stream is read from its start (what a restart used to do).
    const fresh = await consumer({ checkpoint: false });
    await fresh.poller.pollOnce();
    await fresh.poller.stop();
    expect(fresh.seen.length).toBe(first.seen.length + restarted.seen.length);
  });

  it('keeps a record the consumer failed on for after the restart', async () => {
    let down = true;
    const failing = await consumer({ checkpoint: true, fail: () => down });
    await w.invited(w.partner, w.other);
    await failing.poller.pollOnce();
    await failing.poller.stop();
    expect(failing.seen).toEqual([]);

    down = false;
    const restarted = await consumer({ checkpoint: true });
    await restarted.poller.pollOnce();
    await restarted.poller.stop();
    expect(restarted.seen.length).toBeGreaterThan(0);
  });
});
