/**
 * The local runtime behind `npm start` and the e2e tests: DynamoDB Local, the SES emulator, the
 * local gateway in front of the real handlers, the controllable domain clock, the demo seed and
 * the background tasks, wired through the same composition root the Lambdas use.
 *
 * With `dataDir` everything that should survive a restart lives there (DynamoDB files, the JWT
 * signing key, the cursor secret); without it everything is in memory.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { getDeps, overrideDeps, resetDeps } from '#functions/composition.ts';
import { resetConfig } from '#functions/config.ts';
import { type BackgroundContext, backgroundTasks } from './background.ts';
import { type ControllableClock, createControllableClock } from './clock.ts';
import { devJobs } from './dev-jobs.ts';
import { createDevRoutes } from './dev-routes.ts';
import { startDynamoLocal } from './dynamodb-local.ts';
import { startGateway } from './gateway.ts';
import { freePort } from './ports.ts';
import { seedDemoData } from './seed.ts';
import { startSesLocal } from './ses-local.ts';
import { createTableInput, ensureTable } from './table-schema.ts';
import { createTokenIssuer, type TokenIssuer } from './tokens.ts';

export const LOCAL_TABLE_NAME = 'co-sell-local';
export const LOCAL_EMAIL_FROM = 'co-sell@host.example';

export type LocalRuntimeOptions = {
  /** The API's port; 0 picks a free one. */
  port: number;
  dynamoPort: number;
  sesPort: number;
  /** Persist data here (`.local` for `npm start`); omit for an in-memory runtime (tests). */
  dataDir?: string;
  seed: boolean;
  /** One line per request and per lifecycle step; defaults to console.log. */
  log?: (line: string) => void;
  tableName?: string;
};

export type LocalRuntime = {
  /** The API's base URL, e.g. http://localhost:3000 */
  url: string;
  port: number;
  dynamoEndpoint: string;
  sesEndpoint: string;
  /** The SES emulator's inbox page (a browser shows the captured emails). */
  inboxUrl: string;
  /** `GET` → `{ emails: [...] }` as JSON. */
  emailStoreUrl: string;
  /** The domain events the stream poller published, one JSON line each (`{ source, detailType, time, detail }`). */
  eventsFile: string;
  tableName: string;
  tokens: TokenIssuer;
  clock: ControllableClock;
  /** True when this start seeded the demo data (false when it was already there or `seed` was off). */
  seeded: boolean;
  /** Stops everything this runtime started (background tasks, gateway, SES, DynamoDB Local's Java). */
  stop: () => Promise<void>;
};

/** A secret that must stay stable across restarts of one data dir (cursors stay valid), random otherwise. */
const persistentSecret = (dataDir: string | undefined, file: string): string => {
  if (!dataDir) return randomBytes(32).toString('base64url');
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
};

/**
 * A persistent database made by an older checkout may lack indexes added since: CreateTable is
 * skipped for an existing table, so say what to do instead of failing on the first query.
 */
const warnIfTableOutdated = async (
  client: DynamoDBClient,
  tableName: string,
  log: (line: string) => void,
) => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const have = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const missing = (createTableInput(tableName).GlobalSecondaryIndexes ?? [])
    .map((index) => index.IndexName)
    .filter((name) => !have.has(name));
  if (missing.length > 0) {
    log(
      `⚠ The table in .local lacks the indexes ${missing.join(', ')}: stop, delete .local/ and start again.`,
    );
  }
};

export const startLocalRuntime = async (options: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const log = options.log ?? ((line: string) => console.log(line));
  const tableName = options.tableName ?? LOCAL_TABLE_NAME;
  // Shut down in reverse order of start, also when a later step fails.
  const stoppers: { name: string; stop: () => Promise<void> }[] = [];
  const stopAll = async () => {
    for (const { name, stop } of stoppers.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        log(`✗ stopping ${name}: ${(error as Error).message}`);
      }
    }
  };

  try {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const port = options.port || (await freePort());
    const dynamoPort = options.dynamoPort || (await freePort());

    const dynamo = await startDynamoLocal({
      port: dynamoPort,
      ...(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}),
    });
    stoppers.push({ name: 'DynamoDB Local', stop: dynamo.stop });
    await ensureTable(dynamo.client, tableName);
    if (options.dataDir) await warnIfTableOutdated(dynamo.client, tableName, log);
    log(
      `DynamoDB Local  ${dynamo.endpoint} (table ${tableName}${options.dataDir ? ', persistent' : ', in memory'})`,
    );

    const ses = await startSesLocal({ port: options.sesPort });
    stoppers.push({ name: 'SES emulator', stop: ses.stop });
    log(`SES emulator    ${ses.endpoint}`);

    const url = `http://localhost:${port}`;
    const eventsFile = options.dataDir
      ? join(options.dataDir, 'events.jsonl')
      : join(tmpdir(), `co-sell-events-${randomBytes(6).toString('hex')}.jsonl`);
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      CURSOR_SECRET: persistentSecret(options.dataDir, 'cursor-secret'),
      SES_ENDPOINT: ses.endpoint,
      EMAIL_FROM: LOCAL_EMAIL_FROM,
      APP_BASE_URL: url,
      EVENTS_FILE: eventsFile,
    });
    // The SDK wants credentials even for local endpoints; the emulators accept any.
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    resetConfig();
    resetDeps();
    const clock = createControllableClock();
    overrideDeps({ clock });
    stoppers.push({ name: 'composition', stop: async () => resetDeps() });

    const tokens = await createTokenIssuer({
      port,
      ...(options.dataDir ? { keyFile: join(options.dataDir, 'jwt-key.json') } : {}),
    });
    const jobs = devJobs({ deps: getDeps, tableName, log });
    const gateway = await startGateway({
      port,
      verifyToken: tokens.verify,
      devRoutes: createDevRoutes({ tokens, clock, deps: getDeps, jobs }),
      log,
      region: process.env.AWS_REGION,
    });
    stoppers.push({ name: 'gateway', stop: gateway.stop });

    const { seeded } = options.seed ? await seedDemoData(getDeps()) : { seeded: false };
    if (options.seed) log(seeded ? 'Seeded the demo data.' : 'Demo data already present; not seeding.');

    const context: BackgroundContext = {
      tableName,
      dynamo: dynamo.client,
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      deps: getDeps,
      log,
    };
    for (const task of backgroundTasks()) {
      stoppers.push({ name: task.name, stop: await task.start(context) });
      log(`Started ${task.name}.`);
    }

    return {
      url: gateway.url,
      port: gateway.port,
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      inboxUrl: ses.inboxUrl,
      emailStoreUrl: ses.storeUrl,
      eventsFile,
      tableName,
      tokens,
      clock,
      seeded,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
