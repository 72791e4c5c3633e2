/**
 * A test tier's shared local runtime, in a process of its own (runtime-global-setup.ts starts it):
 * in memory, seeded, on free ports, logging to a file in the directory it is given. It prints its
 * endpoints as one JSON line once it answers, and stops when its stdin closes, so it ends with
 * the test run even when that run is killed.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalRuntime } from '#infra/local/runtime.ts';
import type { RuntimeEndpoints } from './runtime-endpoints.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const directory = process.argv[2];
if (!directory) throw new Error('usage: runtime-process.ts <directory for the log and the token key>');
const logFile = join(directory, 'runtime.log');
const tokenKeyFile = join(directory, 'jwt-key.json');
/** What each function asked of the table, written when the runtime stops (runtime-global-setup.ts checks it). */
export const TABLE_REQUESTS_FILE = 'table-requests.json';

const runtime = await startLocalRuntime({
  port: 0,
  dynamoPort: 0,
  sesPort: 0,
  s3Port: 0,
  seed: true,
  tokenKeyFile,
  log: (line) => {
    appendFileSync(logFile, `${line}\n`);
    // Stdout carries the endpoints; the log goes to the test run's stderr when asked for.
    if (process.env.LOCAL_RUNTIME_LOG) process.stderr.write(`${line}\n`);
  },
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  writeFileSync(
    join(directory, TABLE_REQUESTS_FILE),
    JSON.stringify(Object.fromEntries(runtime.functions.tableRequests())),
  );
  void runtime.stop().finally(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);

const endpoints: RuntimeEndpoints = {
  url: runtime.url,
  port: runtime.port,
  dynamoEndpoint: runtime.dynamoEndpoint,
  tableName: runtime.tableName,
  sesEndpoint: runtime.sesEndpoint,
  emailStoreUrl: runtime.emailStoreUrl,
  inboxUrl: runtime.inboxUrl,
  s3Endpoint: runtime.s3Endpoint,
  attachmentsBucket: runtime.attachmentsBucket,
  eventsFile: runtime.eventsFile,
  logFile,
  tokenKeyFile,
};
process.stdout.write(`${JSON.stringify(endpoints)}\n`);
