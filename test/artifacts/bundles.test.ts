/**
 * The artifact tier: what `cdk synth` bundles is what runs. The dev stage is synthesized with real
 * esbuild bundling; the prod stage too, unless its functions are built from exactly the same code
 * (see `differingBundles`), in which case prod's templates come from a synthesis with bundling
 * skipped and its functions run dev's identical bundles. Every Lambda function of the templates is
 * loaded from cdk.out in a fresh Node process with exactly the template's environment (placeholders
 * for what only resolves in AWS, the table and the bucket pointing at DynamoDB Local and the S3
 * emulator, the local-only endpoints added). An HTTP function is invoked with a valid request of
 * every route it serves, built from the OpenAPI document's examples against items seeded for that
 * route (test/support/artifact-routes.ts), and each route must answer the success status the
 * document declares; every other function gets an event it must act on. An import-time, bundling
 * (ESM/CJS) or configuration error fails it, and so does a variable a route reads that its
 * function's template lacks.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '#domain/deps.ts';
import { inviteMember } from '#domain/identity/members.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { dynamoDeps } from '#functions/composition/deps.ts';
import { EXPORT_FUNCTION, FUNCTIONS, TOKEN_CLAIMS_FUNCTION } from '#functions/environment.ts';
import type { OpenApiDocument } from '#functions/http/openapi/generate.ts';
import { ORIGIN_HEADER } from '#functions/http/origin-check.ts';
import { HTTP_FUNCTIONS, ROUTES, type RouteDefinition, routeKey } from '#functions/http/routes.ts';
import { outboxEvent } from '#functions/stream/outbox-batch.ts';
import { claimedMembership } from '#functions/triggers/tenant-claims.ts';
import { buildApiEvent } from '#infra/local/api-event.ts';
import { type CognitoLocal, startCognitoLocal } from '#infra/local/cognito-local.ts';
import { type DynamoLocal, startDynamoLocal } from '#infra/local/dynamodb-local.ts';
import { type EventBridgeLocal, startEventBridgeLocal } from '#infra/local/eventbridge-local.ts';
import type { LocalEndpoints } from '#infra/local/functions.ts';
import { type KmsLocal, startKmsLocal } from '#infra/local/kms-local.ts';
import { freePort } from '#infra/local/ports.ts';
import { type S3Local, startS3Local } from '#infra/local/s3-local.ts';
import { type SecretsLocal, startSecretsLocal } from '#infra/local/secrets-local.ts';
import { type SesLocal, startSesLocal } from '#infra/local/ses-local.ts';
import { startStreamPoller } from '#infra/local/stream-poller.ts';
import { ensureTable } from '#infra/local/table-schema.ts';
import {
  claimsAdded,
  createTokenIssuer,
  LOCAL_AUDIENCE,
  localJwksUrl,
  preTokenGenerationEvent,
  type TokenIssuer,
} from '#infra/local/tokens.ts';
import { consoleBuild, DEPLOY_TARGET, PROD_DELIVERY } from '#test/infra/stacks.ts';
import {
  documentedSuccess,
  type RouteFixtures,
  type RouteRequest,
  routeRequest,
  seedRouteFixtures,
} from '#test/support/artifact-routes.ts';
import {
  type DeployedFunction,
  deployedFunctions,
  differingBundles,
  type Invocation,
  invokeBundle,
  offlineEnvironment,
  synthStage,
  synthStageUnbundled,
} from '#test/support/artifacts.ts';
import { seedWorld, settableClock, type World } from '#test/support/deal-world.ts';
import { MemoryIdentityProvider } from '#test/support/memory/identity-provider.ts';

/**
 * Example values for what prod requires (docs/deploy.md, the runbook), and a console build in both, so
 * the Console stack's assets are staged too (its BucketDeployment handler is aws-cdk-lib's own).
 */
const STAGES: Record<string, Record<string, string>> = {
  dev: { ...DEPLOY_TARGET, consoleBuildDir: consoleBuild() },
  prod: { ...DEPLOY_TARGET, ...PROD_DELIVERY, consoleBuildDir: consoleBuild() },
};

/** The committed document the routes' requests and expected statuses come from. */
const DOCUMENT = JSON.parse(
  readFileSync(new URL('../../functions/http/openapi/openapi.json', import.meta.url), 'utf8'),
) as OpenApiDocument;

type StageWorld = {
  functions: DeployedFunction[];
  tableName: string;
  world: World;
  fixtures: RouteFixtures;
  /** The stream record of an `invitation.created` outbox item, as the event source delivers it. */
  outboxRecord: DynamoDBRecord;
  /** The stream record of a `member.invited` outbox item, and the address it emails. */
  memberRecord: DynamoDBRecord;
  invitedAddress: string;
  /** What each function's run reported (`exercise`), by function id. */
  outcomes: Map<string, Outcome>;
};

/** One function's run: what went wrong overall, if anything, and each route's answer. */
type Outcome = { problem?: string; routes: Map<string, { status?: number; problem?: string }> };

let dynamo: DynamoLocal;
let ses: SesLocal;
let eventBridge: EventBridgeLocal;
let secrets: SecretsLocal;
let s3: S3Local;
let s3Dir: string;
let cognito: CognitoLocal;
let kms: KmsLocal;
let receiver: { server: Server; url: string; received: () => number };
let invokes: Server;
let endpoints: LocalEndpoints;

/** What the templates' cursor secret resolves to here: a secret of the Secrets Manager stand-in. */
const ARTIFACT_CURSOR_SECRET = 'artifact-tier-cursor-secret';
/** The webhook secrets key the functions' WEBHOOK_SECRETS_KEY_ARN names here, held by the KMS stand-in. */
const ARTIFACT_SECRETS_KEY = 'arn:aws:kms:us-east-1:000000000000:key/artifact-webhook-secrets';
/** The bucket the templates' ATTACHMENTS_BUCKET resolves to here, in the S3 emulator. */
const ARTIFACT_BUCKET = 'artifact-tier-attachments';
const stages = new Map<string, StageWorld>();
/** The issuer the authorizer's bundle trusts here: its keys served over HTTP, as Cognito serves a pool's. */
let issuer: { tokens: TokenIssuer; server: Server; replacements: Record<string, string> };

/** What only resolves in AWS, resolved to this tier's stand-ins. */
const replacements = (tableName: string): Record<string, string> => ({
  TABLE_NAME: tableName,
  CURSOR_SECRET_ID: ARTIFACT_CURSOR_SECRET,
  ATTACHMENTS_BUCKET: ARTIFACT_BUCKET,
  WEBHOOK_SECRETS_KEY_ARN: ARTIFACT_SECRETS_KEY,
  ...issuer.replacements,
});

const tableDeps = (tableName: string): Deps =>
  dynamoDeps({ db: createDocumentClient({ region: 'local', endpoint: dynamo.endpoint }), tableName });

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A table of the shared definition, seeded through the real use cases: the world, one invitation
 * sent and one member invited (their outbox records), what every route needs, and an invitation
 * sent long enough ago for the expiry job to expire it.
 */
const prepareTable = async (stage: string): Promise<Omit<StageWorld, 'functions' | 'outcomes'>> => {
  const tableName = `artifacts-${stage}-${randomBytes(4).toString('hex')}`;
  await ensureTable(dynamo.client, tableName);
  const now = new Date().toISOString();
  const clock = settableClock(now);
  const deps = {
    ...tableDeps(tableName),
    // Seeding invites people; the user pool's own calls are the functions' (the emulator).
    identityProvider: new MemoryIdentityProvider(),
    clock,
  };
  const world = await seedWorld(deps, clock.set);
  const records: DynamoDBRecord[] = [];
  const poller = await startStreamPoller({
    dynamo: dynamo.client,
    endpoint: dynamo.endpoint,
    tableName,
    autoStart: false,
    handler: async (event) => {
      records.push(...event.Records);
      return { batchItemFailures: [] };
    },
  });
  await poller.pollOnce();
  await world.invited(world.partner, world.other);
  const invitedAddress = `artifact-${randomBytes(4).toString('hex')}@host.example`;
  await inviteMember(deps, world.host, {
    email: invitedAddress,
    name: 'Artifact Person',
    roles: ['referrals-admin'],
    locations: [],
  });
  await poller.pollOnce();
  await poller.stop();
  const outboxRecord = records.find((record) => outboxEvent(record)?.type === 'invitation.created');
  if (!outboxRecord) throw new Error('No invitation.created record on the stream');
  const memberRecord = records.find((record) => outboxEvent(record)?.type === 'member.invited');
  if (!memberRecord) throw new Error('No member.invited record on the stream');
  const fixtures = await seedRouteFixtures({
    deps,
    world,
    s3: { endpoint: s3.endpoint, bucket: ARTIFACT_BUCKET },
    cognitoEndpoint: cognito.endpoint,
    kms: { endpoint: kms.endpoint, keyId: ARTIFACT_SECRETS_KEY },
    receiverUrl: receiver.url,
  });
  clock.set(new Date(Date.parse(now) - 20 * DAY_MS).toISOString());
  await world.invited(world.partner, world.assessor);
  clock.set(now);
  return { tableName, world, fixtures, outboxRecord, memberRecord, invitedAddress };
};

/** A webhook receiver that accepts every delivery and counts them. */
const startReceiver = async (): Promise<typeof receiver> => {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/hooks`, received: () => received };
};

beforeAll(async () => {
  // First, as it holds this process for seconds (the unbundled syntheses): then `cdk synth`, a
  // process of its own, bundles while the emulators start and the tables are seeded.
  const started = performance.now();
  const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(0)} s`;
  const bundling = bundledFunctions();
  bundling.catch(() => undefined);
  const issuerPort = await freePort();
  const tokens = await createTokenIssuer({ port: issuerPort });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tokens.jwks()));
  });
  await new Promise<void>((resolve) => server.listen(issuerPort, '127.0.0.1', resolve));
  issuer = {
    tokens,
    server,
    replacements: {
      JWT_ISSUER: tokens.issuer,
      JWT_AUDIENCE: LOCAL_AUDIENCE,
      JWKS_URL: localJwksUrl(issuerPort),
    },
  };
  // The seeding's uploads sign for the S3 emulator, which knows only this key pair (as the functions do).
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  s3Dir = mkdtempSync(join(tmpdir(), 'co-sell-artifact-s3-'));
  [dynamo, ses, eventBridge, secrets, s3, cognito, kms, receiver] = await Promise.all([
    freePort().then((port) => startDynamoLocal({ port })),
    startSesLocal({ port: 0 }),
    startEventBridgeLocal({
      eventsFile: join(tmpdir(), `co-sell-artifact-events-${randomBytes(6).toString('hex')}.jsonl`),
    }),
    startSecretsLocal({ secrets: { [ARTIFACT_CURSOR_SECRET]: randomBytes(32).toString('hex') } }),
    freePort().then((port) => startS3Local({ port, directory: s3Dir, bucket: ARTIFACT_BUCKET })),
    startCognitoLocal(),
    startKmsLocal({ keys: { [ARTIFACT_SECRETS_KEY]: randomBytes(32) } }),
    startReceiver(),
  ]);
  // Lambda's Invoke API as the export route calls it: queued (202), and the job's own event is
  // exercised below.
  invokes = createServer((req, res) => {
    req.resume();
    res.writeHead(req.headers['x-amz-invocation-type'] === 'Event' ? 202 : 404).end();
  });
  await new Promise<void>((resolve) => invokes.listen(0, '127.0.0.1', resolve));
  endpoints = {
    secrets: secrets.endpoint,
    dynamodb: dynamo.endpoint,
    ses: ses.endpoint,
    eventBridge: eventBridge.endpoint,
    s3: s3.endpoint,
    cognito: cognito.endpoint,
    kms: kms.endpoint,
    lambda: `http://127.0.0.1:${(invokes.address() as AddressInfo).port}`,
  };
  const tables = new Map(
    await Promise.all(Object.keys(STAGES).map(async (stage) => [stage, await prepareTable(stage)] as const)),
  );
  const seeded = seconds(started);
  for (const [stage, functions] of await bundling) {
    stages.set(stage, { ...tables.get(stage)!, functions, outcomes: new Map() });
  }
  // Every function of every stage once, a few processes at a time: the tests read the outcomes.
  const runs = [...stages].flatMap(([stage, { functions, outcomes }]) =>
    functions.map((fn) => async () => {
      outcomes.set(fn.definition.id, await exercise(stage, fn));
    }),
  );
  const bundled = seconds(started);
  const running = performance.now();
  await inParallel(runs, PROCESSES);
  // Where the tier's time goes, for whoever tunes it.
  console.info(
    `artifact tier: seeded after ${seeded}, bundled after ${bundled}, ${runs.length} functions ran in ${seconds(running)}`,
  );
});

/**
 * How many bundles run at once, each a Node process of its own: twice as many as the 3 a 2-core
 * machine needs to stay busy, since a machine shared with other work gives each process its share.
 */
const PROCESSES = 6;

const inParallel = async (tasks: (() => Promise<void>)[], width: number): Promise<void> => {
  const queue = [...tasks];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let task = queue.shift(); task; task = queue.shift()) await task();
    }),
  );
};

/**
 * Every stage's functions with their bundles. Bundling is most of this tier's time, so a stage whose
 * functions would be bundled from the same code as dev's (same entries, same bundling options) runs
 * dev's bundles with its own templates' environment; a stage with any difference is bundled itself.
 */
const bundledFunctions = async (): Promise<Map<string, DeployedFunction[]>> => {
  const [reference, ...others] = Object.keys(STAGES) as [string, ...string[]];
  const unbundled = new Map(
    Object.entries(STAGES).map(([stage, context]) => [stage, synthStageUnbundled(stage, context)]),
  );
  const different = others.filter(
    (stage) => differingBundles(unbundled.get(reference)!, unbundled.get(stage)!).length > 0,
  );
  const synthesized = new Map(
    await Promise.all(
      [reference, ...different].map(
        async (stage) => [stage, deployedFunctions(await synthStage(stage, STAGES[stage]!))] as const,
      ),
    ),
  );
  const referenceBundles = new Map(
    synthesized.get(reference)!.map((fn) => [fn.definition.id, fn.assetDir] as const),
  );
  return new Map(
    Object.keys(STAGES).map((stage) => [
      stage,
      synthesized.get(stage) ??
        unbundled
          .get(stage)!
          .functions.map((fn) => ({ ...fn, assetDir: referenceBundles.get(fn.definition.id)! })),
    ]),
  );
};

afterAll(async () => {
  await new Promise((resolve) => issuer?.server.close(resolve));
  await new Promise((resolve) => receiver?.server.close(resolve));
  await cognito?.stop();
  await kms?.stop();
  await s3?.stop();
  if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
  await new Promise((resolve) => invokes?.close(resolve));
  await secrets?.stop();
  await eventBridge?.stop();
  await ses?.stop();
  await dynamo?.stop();
});

/**
 * A real API Gateway v2 event for the request, with the caller's claims as the authorizer passes
 * them, and the origin header the distribution adds (the function's own ORIGIN_VERIFY).
 */
const routeEvent = (route: RouteDefinition, request: RouteRequest, environment: Record<string, string>) => {
  const hasBody = request.body !== undefined;
  const now = Math.floor(Date.now() / 1000);
  return buildApiEvent({
    method: route.method,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    headers: {
      host: 'api.example',
      'user-agent': 'artifact-tier',
      ...(environment.ORIGIN_VERIFY && environment.ORIGIN_VERIFY !== 'off'
        ? { [ORIGIN_HEADER]: environment.ORIGIN_VERIFY }
        : {}),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    },
    ...(hasBody ? { body: Buffer.from(JSON.stringify(request.body)) } : {}),
    route,
    pathParameters: request.pathParameters,
    ...(route.auth === 'jwt' && request.caller
      ? {
          claims: {
            sub: request.caller.sub,
            email: request.caller.email,
            iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example',
            aud: 'artifact-tier',
            token_use: 'id',
            iat: now,
            exp: now + 3600,
          },
        }
      : {}),
    sourceIp: '203.0.113.7',
  });
};

const emailedAddresses = async (): Promise<string[]> =>
  (
    (await (await fetch(ses.storeUrl)).json()) as { emails: { destination: { to: string[] } }[] }
  ).emails.flatMap((email) => email.destination.to);

const publishedEventIds = (): string[] =>
  readFileSync(eventBridge.eventsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { detail: { id: string } }).detail.id);

const batchFailures = (result: unknown): string | undefined => {
  const failures = (result as { batchItemFailures?: unknown[] }).batchItemFailures;
  return failures && failures.length === 0 ? undefined : `batch item failures: ${JSON.stringify(failures)}`;
};

/** The count a job's run returned under `field`, when it is at least one; otherwise what is wrong. */
const counted = (result: unknown, field: string): string | undefined => {
  const value = (result as Record<string, unknown>)[field];
  return typeof value === 'number' && value >= 1 ? undefined : `${field}: ${JSON.stringify(result)}`;
};

/**
 * Runs one deployed function from its bundle: an HTTP function with every route it serves, in one
 * warm environment, each route's answer checked against its documented status; any other function
 * with its event, and what it must have done checked.
 */
const exercise = async (
  stage: string,
  fn: DeployedFunction,
  variables: Record<string, unknown> = fn.environment,
): Promise<Outcome> => {
  const { tableName, world, fixtures, outboxRecord, memberRecord, invitedAddress } = stages.get(stage)!;
  const environment = offlineEnvironment(variables, replacements(tableName));
  let events: unknown[];
  let check: (result: unknown, index: number) => string | undefined;
  let afterInvoke: () => Promise<string | undefined> = async () => undefined;
  const routes = HTTP_FUNCTIONS.find((served) => served.id === fn.definition.id)?.routes ?? [];
  const requests = routes.map((route) => routeRequest(DOCUMENT, route, fixtures));
  if (fn.definition.id === 'Authorize') {
    // A person's ID token and an API client's access token, both verified against the issuer's keys.
    const bearer = (token: string) => ({
      identitySource: [`Bearer ${token}`],
      headers: { authorization: `Bearer ${token}` },
    });
    events = [
      bearer(await issuer.tokens.issue({ sub: 'artifact-person', email: 'person@artifacts.example' })),
      bearer(await issuer.tokens.issueAccess({ clientId: 'artifactclient', scope: 'co-sell/deals:read' })),
    ];
    check = (result) =>
      (result as { isAuthorized?: boolean }).isAuthorized === true ? undefined : 'a valid token was refused';
  } else if (fn.definition.id === 'ExpireInvitations') {
    // An EventBridge Scheduler target without input: the invitation sent 20 days ago expires.
    events = [{}];
    check = (result) => counted(result, 'expired');
  } else if (fn.definition.id === 'SendNotifications') {
    events = [{ Records: [outboxRecord, memberRecord] }];
    check = (result) => {
      const failures = batchFailures(result);
      if (failures) return failures;
      if (!publishedEventIds().includes(outboxEvent(outboxRecord)!.id)) return 'the event was not published';
      return undefined;
    };
    afterInvoke = async () =>
      (await emailedAddresses()).includes(invitedAddress) ? undefined : 'the invited address got no email';
  } else if (fn.definition.id === 'DispatchWebhooks') {
    // Adatum receives the invitation: its endpoint gets a pending delivery of it.
    events = [{ Records: [outboxRecord, memberRecord] }];
    check = batchFailures;
    afterInvoke = async () => {
      // A client of its own: the seeding's idle sockets may have been closed by DynamoDB Local.
      const { items } = await tableDeps(tableName).webhooks.listDeliveries(fixtures.fanOutWebhookId, {
        limit: 10,
      });
      return items.some((delivery) => delivery.eventId === outboxEvent(outboxRecord)!.id)
        ? undefined
        : `no delivery queued for the invitation: ${JSON.stringify(items)}`;
    };
  } else if (fn.definition.id === 'DeliverWebhooks') {
    // One sweep (the schedule's input asks for a 50 s one): the seeded test delivery is due.
    events = [{}];
    check = (result) => counted(result, 'succeeded');
    afterInvoke = async () => (receiver.received() > 0 ? undefined : 'the receiver got no delivery');
  } else if (fn.definition.id === EXPORT_FUNCTION.id) {
    // The route's asynchronous invocation of the queued export: the partner's deals, written to S3.
    events = [{ orgId: fixtures.exportJob.orgId, id: fixtures.exportJob.id }];
    check = (result) =>
      (result as { status?: unknown }).status === 'ready'
        ? undefined
        : `the export did not finish ready: ${JSON.stringify(result)}`;
  } else if (fn.definition.id === TOKEN_CLAIMS_FUNCTION.id) {
    // Cognito's event for a sign-in of the host admin, as the local runtime builds it too.
    events = [preTokenGenerationEvent({ sub: world.host.sub }, { audience: 'artifact-tier' })];
    check = (result) =>
      claimedMembership(claimsAdded(result))?.orgId === world.host.orgId
        ? undefined
        : `no org claim for the host admin: ${JSON.stringify(result)}`;
  } else {
    // Every route the function serves, in one warm environment, each with its own seeded items.
    events = routes.map((route, index) => routeEvent(route, requests[index]!, environment));
    check = (result, index) => {
      const { statusCode, body } = result as { statusCode?: number; body?: string };
      return statusCode === requests[index]!.expected
        ? undefined
        : `${routeKey(routes[index]!)} answered ${statusCode}, not ${requests[index]!.expected}: ${body ?? ''}`;
    };
  }
  const invocation: Invocation = await invokeBundle(fn, environment, endpoints, events);
  const named = (problem: string) =>
    `${fn.stack}/${fn.definition.id} (${fn.definition.entry}): ${problem}\n${invocation.output.slice(-4000)}`;
  const results = invocation.results ?? [];
  const answers = new Map(
    routes.map((route, index) => {
      const problem = invocation.ok ? check(results[index], index) : invocation.error;
      const status = (results[index] as { statusCode?: number } | undefined)?.statusCode;
      return [
        routeKey(route),
        { ...(status === undefined ? {} : { status }), ...(problem ? { problem: named(problem) } : {}) },
      ] as const;
    }),
  );
  const problem = !invocation.ok
    ? invocation.error
    : routes.length > 0
      ? undefined
      : (results.map(check).find((found) => found !== undefined) ?? (await afterInvoke()));
  return { ...(problem ? { problem: named(problem) } : {}), routes: answers };
};

const deployed = (stage: string, id: string): DeployedFunction => {
  const fn = stages.get(stage)?.functions.find((candidate) => candidate.definition.id === id);
  if (!fn) throw new Error(`${id} is not in the ${stage} templates`);
  return fn;
};

const outcome = (stage: string, id: string): Outcome => {
  const found = stages.get(stage)?.outcomes.get(id);
  if (!found) throw new Error(`${id} of the ${stage} stage did not run`);
  return found;
};

const HTTP_IDS = new Set(HTTP_FUNCTIONS.map((fn) => fn.id));

/** Each route with the function that serves it and the success status the document declares. */
const ROUTE_CASES = ROUTES.map((route) => {
  const fn = HTTP_FUNCTIONS.find((candidate) => candidate.routes.includes(route))!;
  return [routeKey(route), documentedSuccess(DOCUMENT, route), fn.id] as const;
});

describe.each(Object.keys(STAGES))('bundles of the %s stage', (stage) => {
  it('hold every declared function, and only those', () => {
    const ids = stages.get(stage)!.functions.map((fn) => fn.definition.id);
    expect(ids.sort()).toEqual(FUNCTIONS.map((fn) => fn.id).sort());
  });

  it.each(FUNCTIONS.map((fn) => fn.id).filter((id) => !HTTP_IDS.has(id)))(
    '%s loads and does its job with its event',
    (id) => {
      expect(outcome(stage, id).problem).toBeUndefined();
    },
  );

  it.each(ROUTE_CASES)('%s answers %i from its bundle (%s)', (key, expected, id) => {
    const answer = outcome(stage, id).routes.get(key);
    expect(answer?.problem).toBeUndefined();
    expect(answer?.status).toBe(expected);
  });
});

describe('the tier itself', () => {
  it('reports the function whose template environment lacks a variable it declares, at its cold start', async () => {
    const me = deployed('dev', 'IdentityReads');
    const { TABLE_NAME: _table, ...withoutTable } = me.environment;
    const problem = (await exercise('dev', me, withoutTable)).problem;
    expect(problem).toContain('CoSell-dev-Api/IdentityReads');
    expect(problem).toContain('Missing environment variable TABLE_NAME');

    // Only registration reads the bucket in DealsWrites, but no route of it runs without it.
    const writes = deployed('dev', 'DealsWrites');
    const { ATTACHMENTS_BUCKET: _bucket, ...withoutBucket } = writes.environment;
    expect((await exercise('dev', writes, withoutBucket)).problem).toContain(
      'Missing environment variable ATTACHMENTS_BUCKET',
    );
  });

  it('refuses, in a deployed HTTP function, a request that did not come through the distribution', async () => {
    const me = deployed('dev', 'IdentityReads');
    const { tableName, fixtures } = stages.get('dev')!;
    const environment = offlineEnvironment(me.environment, replacements(tableName));
    expect(environment.ORIGIN_VERIFY).not.toBe('off');
    const route = HTTP_FUNCTIONS.find((served) => served.id === me.definition.id)!.routes[0]!;
    const request = routeRequest(DOCUMENT, route, fixtures);
    const event = routeEvent(route, request, { ...environment, ORIGIN_VERIFY: 'off' });
    const wrong = routeEvent(route, request, { ...environment, ORIGIN_VERIFY: 'not-the-secret' });
    const invocation = await invokeBundle(me, environment, endpoints, [event, wrong]);
    expect(invocation.ok, invocation.output).toBe(true);
    expect((invocation.results as { statusCode: number }[]).map((result) => result.statusCode)).toEqual([
      403, 403,
    ]);
  });
});
