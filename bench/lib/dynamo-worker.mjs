// The worker thread of bench/dynamo-from-a-worker.ts: sends one BatchGetItem per message through the
// app's own DynamoDB client and answers with its time. Plain JavaScript, because a worker starts
// without the parent's TypeScript loader: register tsx in this thread first (as infra/local/worker does).
import { register } from 'tsx/esm/api';

register();
const { parentPort, workerData } = await import('node:worker_threads');
const { BatchGetCommand } = await import('@aws-sdk/lib-dynamodb');
const { createDocumentClient } = await import('../../functions/adapters/dynamo/client.ts');

const db = createDocumentClient({ region: 'us-east-1', endpoint: workerData.endpoint });
const input = { RequestItems: { [workerData.table]: { Keys: workerData.keys, ConsistentRead: true } } };
parentPort.on('message', async () => {
  const started = performance.now();
  await db.send(new BatchGetCommand(input));
  parentPort.postMessage(performance.now() - started);
});
