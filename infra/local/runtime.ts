/**
 * The local runtime behind `npm start` and the e2e tests: DynamoDB Local, the SES and EventBridge
 * emulators, one worker per function with exactly its declared environment (functions.ts), the
 * local gateway in front of them, the controllable domain clock, the demo seed and the background
 * tasks. This process's own environment is left alone: the seed and the /dev routes use the
 * adapters directly, the functions only see what their workers were given.
 *
 * With `dataDir` everything that should survive a restart lives there (DynamoDB files, the JWT
 * signing key, the cursor secret); without it everything is in memory.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Deps } from '#domain/deps.ts';
import { CognitoIdentityProvider } from '#functions/adapters/cognito/identity-provider.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { dynamoDeps } from '#functions/composition/deps.ts';
import type { EnvValues } from '#functions/environment.ts';
import {
  AUTHORIZER_FUNCTION,
  EXPORT_FUNCTION,
  routeFunction,
  TOKEN_CLAIMS_FUNCTION,
} from '#functions/environment.ts';
import { METRICS_NAMESPACE } from '#functions/observability.ts';
import { API_SECURITY_HEADERS, consoleSecurityHeaders, securityHeaderFields } from '../security-headers.ts';
import { authorizerEvent } from './api-event.ts';
import { type BackgroundContext, backgroundTasks } from './background.ts';
import { type ControllableClock, createControllableClock } from './clock.ts';
import { type CognitoLocal, startCognitoLocal } from './cognito-local.ts';
import { consolePage } from './console.ts';
import { devJobs } from './dev-jobs.ts';
import { createDevRoutes } from './dev-routes.ts';
import { startDynamoLocal } from './dynamodb-local.ts';
import { startEventBridgeLocal } from './eventbridge-local.ts';
import { type FunctionWorkers, handlerTimings, localEnvironment, startFunctionWorkers } from './functions.ts';
import { REPO_ROOT, startGateway } from './gateway.ts';
import { startKmsLocal } from './kms-local.ts';
import { startLambdaLocal } from './lambda-local.ts';
import { freePort } from './ports.ts';
import { startS3Local } from './s3-local.ts';
import { startSecretsLocal } from './secrets-local.ts';
import { seedDemoData } from './seed.ts';
import { startSesLocal } from './ses-local.ts';
import { createTableInput, ensureTable } from './table-schema.ts';
import {
  claimsAdded,
  createTokenIssuer,
  InvalidTokenError,
  LOCAL_AUDIENCE,
  localIssuer,
  localJwksUrl,
  preTokenGenerationEvent,
  type TokenIssuer,
  type TokenSubject,
  type VerifiedClaims,
} from './tokens.ts';

/** The built web console (npm run build:web; npm start keeps it built). */
export const CONSOLE_DIST = join(REPO_ROOT, 'web', 'dist');

export const LOCAL_TABLE_NAME = 'co-sell-local';
export const LOCAL_EMAIL_FROM = 'co-sell@host.example';
export const LOCAL_EVENT_BUS_NAME = 'co-sell-local-domain-events';
export const LOCAL_ATTACHMENTS_BUCKET = 'co-sell-local-attachments';

/** The cursor key's name in the local Secrets Manager stand-in (`CURSOR_SECRET_ID`). */
export const LOCAL_CURSOR_SECRET_ID = 'co-sell-local-cursor-secret';

/** The key that seals webhook signing secrets in the local KMS stand-in (`WEBHOOK_SECRETS_KEY_ARN`). */
export const LOCAL_WEBHOOK_SECRETS_KEY_ARN =
  'arn:aws:kms:us-east-1:000000000000:key/co-sell-local-webhook-secrets';

export type LocalRuntimeOptions = {
  /** The API's port; 0 picks a free one. */
  port: number;
  dynamoPort: number;
  sesPort: number;
  /** The S3 emulator's port; 0 picks a free one. */
  s3Port: number;
  /** Persist data here (`.local` for `npm start`); omit for an in-memory runtime (tests). */
  dataDir?: string;
  /**
   * The token signing key's file (default: `jwt-key.json` in `dataDir`, in memory without one), so
   * another process can sign tokens this runtime accepts: the e2e tier's shared runtime runs apart
   * from the test files that make expired and early tokens.
   */
  tokenKeyFile?: string;
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
  /** The S3 emulator (attachments bucket `attachmentsBucket`). */
  s3Endpoint: string;
  attachmentsBucket: string;
  /** The SES emulator's inbox page (a browser shows the captured emails). */
  inboxUrl: string;
  /** `GET` → `{ emails: [...] }` as JSON. */
  emailStoreUrl: string;
  /** The domain events the EventBridge emulator received, one JSON line each (`{ source, detailType, time, detail }`). */
  eventsFile: string;
  tableName: string;
  tokens: TokenIssuer;
  /**
   * A token as the identity provider issues it: the user pool's token trigger runs in its worker
   * (its declared access) and its claims go into the token, as `POST /dev/tokens` does.
   */
  tokenFor: (subject: TokenSubject) => Promise<string>;
  clock: ControllableClock;
  /** The functions' workers (the gateway, the poller and the timer invoke through them). */
  functions: FunctionWorkers;
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

/**
 * The gateway's token check: the authorizer function in its own worker, with an authorizer event of
 * the token (payload 2.0); a refusal (its `Unauthorized` error) is the gateway's 401.
 */
const authorizeInWorker =
  (functions: FunctionWorkers) =>
  async (token: string): Promise<VerifiedClaims> => {
    const result = (await functions.invoke(AUTHORIZER_FUNCTION, authorizerEvent(token))) as {
      isAuthorized?: boolean;
      context?: Record<string, string>;
    };
    if (!result.isAuthorized || !result.context) throw new InvalidTokenError('not authorized');
    return result.context as VerifiedClaims;
  };

/**
 * The local pool refuses a disabled user's tokens at once, so a removed member's held token stops
 * at the gateway (401) as soon as the removal disabled it, without waiting for it to expire.
 */
const refusingDisabledUsers =
  (verify: (token: string) => Promise<VerifiedClaims>, pool: Pick<CognitoLocal, 'refusesSignIn'>) =>
  async (token: string): Promise<VerifiedClaims> => {
    const claims = await verify(token);
    if (pool.refusesSignIn(claims.email)) throw new InvalidTokenError('the user is disabled');
    return claims;
  };

/** The emulator keeps one pool; any id names it. */
const LOCAL_USER_POOL_ID = 'local_userpool';

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
    // Chosen now, not by the emulator's own port 0, which could take the API's port just released.
    const s3Port = options.s3Port || (await freePort());

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

    const eventBridge = await startEventBridgeLocal({
      eventsFile: options.dataDir
        ? join(options.dataDir, 'events.jsonl')
        : join(tmpdir(), `co-sell-events-${randomBytes(6).toString('hex')}.jsonl`),
    });
    stoppers.push({ name: 'EventBridge emulator', stop: eventBridge.stop });

    const url = `http://localhost:${port}`;
    const s3 = await startS3Local({
      port: s3Port,
      directory: options.dataDir ? join(options.dataDir, 's3') : mkdtempSync(join(tmpdir(), 'co-sell-s3-')),
      bucket: LOCAL_ATTACHMENTS_BUCKET,
    });
    stoppers.push({ name: 'S3 emulator', stop: s3.stop });
    log(`S3 emulator     ${s3.endpoint} (bucket ${LOCAL_ATTACHMENTS_BUCKET})`);

    const cognito = await startCognitoLocal(
      // The name predates the users it also keeps; existing clients stay where they were.
      options.dataDir ? { file: join(options.dataDir, 'api-clients.json') } : {},
    );
    stoppers.push({ name: 'Cognito emulator', stop: cognito.stop });
    // The cursor key, kept across restarts like the data, behind the same calls as the cloud's secret.
    const secrets = await startSecretsLocal({
      secrets: { [LOCAL_CURSOR_SECRET_ID]: persistentSecret(options.dataDir, 'cursor-secret') },
    });
    stoppers.push({ name: 'Secrets Manager stand-in', stop: secrets.stop });
    // Its key stays with the data: the sealed signing secrets in the table must still open.
    const kms = await startKmsLocal({
      keys: {
        [LOCAL_WEBHOOK_SECRETS_KEY_ARN]: Buffer.from(
          persistentSecret(options.dataDir, 'kms-key'),
          'base64url',
        ),
      },
    });
    stoppers.push({ name: 'KMS stand-in', stop: kms.stop });
    // Background jobs run in their own workers, invoked the way the cloud's functions invoke them.
    let workers: FunctionWorkers | undefined;
    const lambda = await startLambdaLocal({
      functions: () => {
        if (!workers) throw new Error('The local functions are not started yet');
        return workers;
      },
      log,
    });

    const region = process.env.AWS_REGION ?? 'us-east-1';
    const clock = createControllableClock();
    const table = { db: createDocumentClient({ region, endpoint: dynamo.endpoint }), tableName };
    // The demo data and /dev routes invite people through the same emulated pool as the functions.
    const identityProvider = new CognitoIdentityProvider({
      userPoolId: LOCAL_USER_POOL_ID,
      region,
      endpoint: cognito.endpoint,
    });
    const deps: Deps = { ...dynamoDeps(table), clock, identityProvider };
    const getDeps = () => deps;
    stoppers.push({ name: 'DynamoDB client', stop: async () => table.db.destroy() });

    // This stage's values of the declared variables; each function gets only its own.
    const values: EnvValues = {
      TABLE_NAME: tableName,
      CURSOR_SECRET_ID: LOCAL_CURSOR_SECRET_ID,
      // The gateway is the only way in locally: no distribution adds the origin header.
      ORIGIN_VERIFY: 'off',
      EMAIL_FROM: LOCAL_EMAIL_FROM,
      APP_BASE_URL: url,
      EVENT_BUS_NAME: LOCAL_EVENT_BUS_NAME,
      // The emulator accepts any configuration set; naming one keeps the cloud's send call.
      SES_CONFIGURATION_SET: 'co-sell-local-email',
      POWERTOOLS_METRICS_NAMESPACE: `${METRICS_NAMESPACE}/local`,
      ATTACHMENTS_BUCKET: LOCAL_ATTACHMENTS_BUCKET,
      // No scanner runs locally: an uploaded file counts as clean
      // (docs/decisions/0053-malware-scanning-guardduty.md).
      ATTACHMENT_SCAN: 'none',
      USER_POOL_ID: LOCAL_USER_POOL_ID,
      TOKEN_URL: `${url}/dev/oauth2/token`,
      JWT_ISSUER: localIssuer(port),
      JWT_AUDIENCE: LOCAL_AUDIENCE,
      JWKS_URL: localJwksUrl(port),
      WEBHOOK_SECRETS_KEY_ARN: LOCAL_WEBHOOK_SECRETS_KEY_ARN,
      EXPORT_FUNCTION_NAME: EXPORT_FUNCTION.id,
    };
    const endpoints = {
      cognito: cognito.endpoint,
      dynamodb: dynamo.endpoint,
      ses: ses.endpoint,
      eventBridge: eventBridge.endpoint,
      s3: s3.endpoint,
      secrets: secrets.endpoint,
      kms: kms.endpoint,
      lambda: lambda.endpoint,
    };
    const functions = startFunctionWorkers({
      environment: (fn) => localEnvironment(fn, values, endpoints),
      clock: clock.shared,
      log,
    });
    workers = functions;
    stoppers.push({ name: 'functions', stop: functions.stop });
    // Stopped before the workers (stoppers run in reverse): no queued job starts on a stopped worker.
    stoppers.push({ name: 'Lambda stand-in', stop: lambda.stop });

    const keyFile =
      options.tokenKeyFile ?? (options.dataDir ? join(options.dataDir, 'jwt-key.json') : undefined);
    const tokens = await createTokenIssuer({ port, ...(keyFile ? { keyFile } : {}) });
    const tokenFor = async (subject: TokenSubject): Promise<string> =>
      tokens.issue(subject, {
        claims: claimsAdded(
          await functions.invoke(TOKEN_CLAIMS_FUNCTION, preTokenGenerationEvent(subject, tokens)),
        ),
      });
    const jobs = devJobs({ functions });
    const gateway = await startGateway({
      port,
      // The cloud's authorizer, from its worker: it fetches the local issuer's keys like Cognito's.
      verifyToken: refusingDisabledUsers(authorizeInWorker(functions), cognito),
      devRoutes: createDevRoutes({ tokens, tokenFor, clock, deps: getDeps, jobs, identityProvider: cognito }),
      resolveHandler: async (route) => functions.handler(routeFunction(route)),
      handlerTiming: (result) => handlerTimings.get(result),
      console: (method, rawPath) => consolePage(method, rawPath, CONSOLE_DIST),
      // What the cloud's distribution sends, with the S3 emulator in place of the bucket's host (and
      // no sign-in provider: local tokens come from the gateway's own /dev routes).
      securityHeaders: {
        console: securityHeaderFields(consoleSecurityHeaders([new URL(s3.endpoint).origin])),
        api: securityHeaderFields(API_SECURITY_HEADERS),
      },
      log,
      region,
    });
    stoppers.push({ name: 'gateway', stop: gateway.stop });

    const { seeded } = options.seed ? await seedDemoData(deps) : { seeded: false };
    if (options.seed) log(seeded ? 'Seeded the demo data.' : 'Demo data already present; not seeding.');

    const context: BackgroundContext = {
      tableName,
      dynamo: dynamo.client,
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      deps: getDeps,
      functions,
      log,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
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
      s3Endpoint: s3.endpoint,
      attachmentsBucket: LOCAL_ATTACHMENTS_BUCKET,
      inboxUrl: ses.inboxUrl,
      emailStoreUrl: ses.storeUrl,
      eventsFile: eventBridge.eventsFile,
      tableName,
      tokens,
      tokenFor,
      clock,
      functions,
      seeded,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
