/**
 * `npx tsx bench/dynamo-from-a-worker.ts [rounds]`: is a DynamoDB call slower from a function's worker
 * thread than from the benchmark's main thread? Sends the same strongly consistent BatchGetItem (the
 * get deal's binding, deal and mark) alternately from a worker thread, through the app's own client
 * (functions/adapters/dynamo/client.ts, instrumented as in a function), and from the main thread's
 * raw client, against one DynamoDB Local; prints both medians. docs/benchmarks.md section 1 reads it.
 */
import { Worker } from 'node:worker_threads';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { dealKeys, favoriteKeys, membershipKeys } from '#functions/adapters/dynamo/keys.ts';
import { DEMO } from '#infra/local/demo-data.ts';
import { dealBody, readDemo } from './endpoints.ts';
import { expectStatus, startBenchRuntime } from './lib/local.ts';
import { rawDocumentClient } from './lib/replay.ts';
import { summarize } from './lib/stats.ts';

const rounds = Number(process.argv[2] ?? 1200);
const workerFile = new URL('./lib/dynamo-worker.mjs', import.meta.url);

const bench = await startBenchRuntime();
try {
  const demo = await readDemo(bench);
  const fabrikam = await bench.as(DEMO.fabrikam.admin.sub);
  const created = expectStatus(await fabrikam('POST', '/v1/deals', dealBody(demo)), 201, 'create');
  const { id } = created.body as { id: string };
  const sub = DEMO.fabrikam.admin.sub;
  const table = bench.runtime.tableName;
  const keys = [membershipKeys.binding(sub), dealKeys.item(id), favoriteKeys.item(sub, id)];
  const worker = new Worker(workerFile, {
    workerData: { endpoint: bench.runtime.dynamoEndpoint, table, keys },
  });
  const raw = rawDocumentClient(bench.runtime.dynamoEndpoint);
  const fromWorker = () =>
    new Promise<number>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage('go');
    });
  const fromMain = async () => {
    const started = performance.now();
    await raw.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
    return performance.now() - started;
  };
  const samples = { worker: [] as number[], main: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    const inWorker = await fromWorker();
    const inMain = await fromMain();
    // The first sixth warms DynamoDB Local's JVM.
    if (i >= rounds / 6) {
      samples.worker.push(inWorker);
      samples.main.push(inMain);
    }
  }
  for (const [side, times] of Object.entries(samples)) {
    const { median, p99 } = summarize(times);
    console.log(`${side}: median ${median.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
  }
  await worker.terminate();
  raw.destroy();
} finally {
  await bench.runtime.stop();
}
