/**
 * The artifact tier: what `cdk synth` bundles is what runs. The dev stage is synthesized with real
 * esbuild bundling; the prod stage too, unless its functions are built from exactly the same code
 * (see `differingBundles`), in which case prod's templates come from a synthesis with bundling
 * skipped and its functions run dev's identical bundles. Every Lambda function of the templates is loaded from cdk.out in a fresh Node
 * process with exactly the template's environment (placeholders for what only resolves in AWS, the
 * table name pointing at a real table in DynamoDB Local, the local-only endpoints added) and invoked
 * with one representative event. An import-time, bundling (ESM/CJS) or configuration error fails it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteMember } from '#domain/identity/members.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { dynamoDeps } from '#functions/composition/deps.ts';
import { EXPORT_FUNCTION, FUNCTIONS, TOKEN_CLAIMS_FUNCTION } from '#functions/environment.ts';
import { ORIGIN_HEADER } from '#functions/http/origin-check.ts';
import { HTTP_FUNCTIONS, type RouteDefinition, routeKey } from '#functions/http/routes.ts';
import { outboxEvent } from '#functions/stream/outbox-batch.ts';
import { claimedMembership } from '#functions/triggers/tenant-claims.ts';
import { buildApiEvent } from '#infra/local/api-event.ts';
import { type DynamoLocal, startDynamoLocal } from '#infra/local/dynamodb-local.ts';
import { type EventBridgeLocal, startEventBridgeLocal } from '#infra/local/eventbridge-local.ts';
import type { LocalEndpoints } from '#infra/local/functions.ts';
import { freePort } from '#infra/local/ports.ts';
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
  type DeployedFunction,
  deployedFunctions,
  differingBundles,
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

type StageWorld = {
  functions: DeployedFunction[];
  tableName: string;
  world: World;
  /** The stream record of an `invitation.created` outbox item, as the event source delivers it. */
  outboxRecord: DynamoDBRecord;
  /** The stream record of a `member.invited` outbox item, and the address it emails. */
  memberRecord: DynamoDBRecord;
  invitedAddress: string;
};

let dynamo: DynamoLocal;
let ses: SesLocal;
let eventBridge: EventBridgeLocal;
let secrets: SecretsLocal;
let invokes: Server;
let endpoints: LocalEndpoints;

/** What the templates' cursor secret resolves to here: a secret of the Secrets Manager stand-in. */
const ARTIFACT_CURSOR_SECRET = 'artifact-tier-cursor-secret';
const stages = new Map<string, StageWorld>();
/** The issuer the authorizer's bundle trusts here: its keys served over HTTP, as Cognito serves a pool's. */
let issuer: { tokens: TokenIssuer; server: Server; replacements: Record<string, string> };

/** A table of the shared definition, seeded through the real use cases, with one invitation sent. */
const prepareTable = async (stage: string): Promise<Omit<StageWorld, 'functions'>> => {
  const tableName = `artifacts-${stage}-${randomBytes(4).toString('hex')}`;
  await ensureTable(dynamo.client, tableName);
  const clock = settableClock(new Date().toISOString());
  const deps = {
    ...dynamoDeps({ db: createDocumentClient({ region: 'local', endpoint: dynamo.endpoint }), tableName }),
    // Seeding invites people; no user pool runs in this tier.
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
  return { tableName, world, outboxRecord, memberRecord, invitedAddress };
};

beforeAll(async () => {
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
  dynamo = await startDynamoLocal({ port: await freePort() });
  ses = await startSesLocal({ port: 0 });
  eventBridge = await startEventBridgeLocal({
    eventsFile: join(tmpdir(), `co-sell-artifact-events-${randomBytes(6).toString('hex')}.jsonl`),
  });
  // Lambda's Invoke API as the export route calls it: queued (202), and the job's own event is
  // exercised below.
  invokes = createServer((req, res) => {
    req.resume();
    res.writeHead(req.headers['x-amz-invocation-type'] === 'Event' ? 202 : 404).end();
  });
  await new Promise<void>((resolve) => invokes.listen(0, '127.0.0.1', resolve));
  secrets = await startSecretsLocal({
    secrets: { [ARTIFACT_CURSOR_SECRET]: randomBytes(32).toString('hex') },
  });
  endpoints = {
    secrets: secrets.endpoint,
    dynamodb: dynamo.endpoint,
    ses: ses.endpoint,
    eventBridge: eventBridge.endpoint,
    // No function reaches S3 with these events (each route answers before it would).
    s3: 'http://127.0.0.1:9',
    // Nor the identity provider: its routes answer 400, 401 or 404 before they would.
    cognito: 'http://127.0.0.1:9',
    lambda: `http://127.0.0.1:${(invokes.address() as AddressInfo).port}`,
  };
  const tables = new Map<string, Omit<StageWorld, 'functions'>>();
  for (const stage of Object.keys(STAGES)) tables.set(stage, await prepareTable(stage));
  for (const [stage, functions] of await bundledFunctions()) {
    stages.set(stage, { ...tables.get(stage)!, functions });
  }
});

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
  await new Promise((resolve) => invokes?.close(resolve));
  await secrets?.stop();
  await eventBridge?.stop();
  await ses?.stop();
  await dynamo?.stop();
});

const FAKE_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/**
 * A real API Gateway v2 event for the route, as an org admin, with JWT claims as the authorizer
 * passes them, and the origin header the distribution adds (the function's own ORIGIN_VERIFY).
 */
const routeEvent = (route: RouteDefinition, world: World, environment: Record<string, string>) => {
  const rawPath = route.path.replace(/\{\w+\}/g, FAKE_ID);
  const pathParameters = Object.fromEntries(
    [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, FAKE_ID]),
  );
  // Paging routes check a cursor, so the cursor secret is read.
  const rawQueryString = route.cursors ? 'limit=1&cursor=artifact-tier' : '';
  const hasBody = !['GET', 'DELETE'].includes(route.method);
  const now = Math.floor(Date.now() / 1000);
  return buildApiEvent({
    method: route.method,
    rawPath,
    rawQueryString,
    headers: {
      host: 'api.example',
      'user-agent': 'artifact-tier',
      ...(environment.ORIGIN_VERIFY && environment.ORIGIN_VERIFY !== 'off'
        ? { [ORIGIN_HEADER]: environment.ORIGIN_VERIFY }
        : {}),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    },
    ...(hasBody ? { body: Buffer.from('{}') } : {}),
    route,
    pathParameters,
    ...(route.auth === 'jwt'
      ? {
          claims: {
            sub: world.host.sub,
            email: 'host-admin@host.example',
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

/**
 * Runs one deployed function with its representative event; undefined when it worked, otherwise
 * what went wrong, naming the function, with its output (logs, stack).
 */
const exercise = async (
  stage: string,
  fn: DeployedFunction,
  variables: Record<string, unknown> = fn.environment,
): Promise<string | undefined> => {
  const { tableName, world, outboxRecord, memberRecord, invitedAddress } = stages.get(stage)!;
  const environment = offlineEnvironment(variables, {
    TABLE_NAME: tableName,
    CURSOR_SECRET_ID: ARTIFACT_CURSOR_SECRET,
    ...issuer.replacements,
  });
  let events: unknown[];
  let check: (result: unknown, index: number) => string | undefined;
  let afterInvoke: () => Promise<string | undefined> = async () => undefined;
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
    // An EventBridge Scheduler target without input: the function reads nothing from its event.
    events = [{}];
    check = (result) =>
      typeof (result as { expired?: unknown }).expired === 'number' ? undefined : 'no expiry run returned';
  } else if (fn.definition.id === 'SendNotifications') {
    events = [{ Records: [outboxRecord, memberRecord] }];
    check = (result) => {
      const failures = (result as { batchItemFailures?: unknown[] }).batchItemFailures;
      if (!failures || failures.length > 0) return `batch item failures: ${JSON.stringify(failures)}`;
      if (!publishedEventIds().includes(outboxEvent(outboxRecord)!.id)) return 'the event was not published';
      return undefined;
    };
    afterInvoke = async () =>
      (await emailedAddresses()).includes(invitedAddress) ? undefined : 'the invited address got no email';
  } else if (fn.definition.id === 'DispatchWebhooks') {
    events = [{ Records: [outboxRecord, memberRecord] }];
    check = (result) => {
      const failures = (result as { batchItemFailures?: unknown[] }).batchItemFailures;
      return failures && failures.length === 0
        ? undefined
        : `batch item failures: ${JSON.stringify(failures)}`;
    };
  } else if (fn.definition.id === 'DeliverWebhooks') {
    // One sweep (the schedule's input asks for a 50 s one; nothing is due here either way).
    events = [{}];
    check = (result) =>
      typeof (result as { succeeded?: unknown }).succeeded === 'number'
        ? undefined
        : 'no delivery run returned';
  } else if (fn.definition.id === EXPORT_FUNCTION.id) {
    // The route's asynchronous invocation, of a job that is gone: nothing to write, nothing written.
    events = [{ orgId: world.host.orgId, id: FAKE_ID }];
    check = (result) =>
      (result as { status?: unknown }).status === 'gone'
        ? undefined
        : `unexpected: ${JSON.stringify(result)}`;
  } else if (fn.definition.id === TOKEN_CLAIMS_FUNCTION.id) {
    // Cognito's event for a sign-in of the host admin, as the local runtime builds it too.
    events = [preTokenGenerationEvent({ sub: world.host.sub }, { audience: 'artifact-tier' })];
    check = (result) =>
      claimedMembership(claimsAdded(result))?.orgId === world.host.orgId
        ? undefined
        : `no org claim for the host admin: ${JSON.stringify(result)}`;
  } else {
    // Every route the function serves, in one warm environment: each reaches its own pipeline.
    const routes = HTTP_FUNCTIONS.find((served) => served.id === fn.definition.id)?.routes ?? [];
    events = routes.map((route) => routeEvent(route, world, environment));
    check = (result, index) => {
      const status = (result as { statusCode?: number }).statusCode;
      return typeof status === 'number' && status < 500
        ? undefined
        : `${routeKey(routes[index]!)} answered ${status}`;
    };
  }
  const invocation = await invokeBundle(fn, environment, endpoints, events);
  const problem = invocation.ok
    ? ((invocation.results ?? []).map(check).find((found) => found !== undefined) ?? (await afterInvoke()))
    : invocation.error;
  return problem
    ? `${fn.stack}/${fn.definition.id} (${fn.definition.entry}): ${problem}\n${invocation.output.slice(-4000)}`
    : undefined;
};

const deployed = (stage: string, id: string): DeployedFunction => {
  const fn = stages.get(stage)?.functions.find((candidate) => candidate.definition.id === id);
  if (!fn) throw new Error(`${id} is not in the ${stage} templates`);
  return fn;
};

describe.each(Object.keys(STAGES))('bundles of the %s stage', (stage) => {
  it('hold every declared function, and only those', () => {
    const ids = stages.get(stage)!.functions.map((fn) => fn.definition.id);
    expect(ids.sort()).toEqual(FUNCTIONS.map((fn) => fn.id).sort());
  });

  it.concurrent.each(FUNCTIONS.map((fn) => fn.id))('%s loads and handles its event', async (id) => {
    const problem = await exercise(stage, deployed(stage, id));
    expect(problem).toBeUndefined();
  });
});

describe('the tier itself', () => {
  it('reports the function whose template environment lacks a variable it reads', async () => {
    const me = deployed('dev', 'IdentityReads');
    const { TABLE_NAME: _table, ...withoutTable } = me.environment;
    const problem = await exercise('dev', me, withoutTable);
    expect(problem).toContain('CoSell-dev-Api/IdentityReads');
    expect(problem).toContain('Missing environment variable TABLE_NAME');

    const list = deployed('dev', 'DealsReads');
    const { CURSOR_SECRET_ID: _secret, ...withoutSecret } = list.environment;
    expect(await exercise('dev', list, withoutSecret)).toContain(
      'Missing environment variable CURSOR_SECRET_ID',
    );
  });

  it('refuses, in a deployed HTTP function, a request that did not come through the distribution', async () => {
    const me = deployed('dev', 'IdentityReads');
    const { tableName, world } = stages.get('dev')!;
    const environment = offlineEnvironment(me.environment, { TABLE_NAME: tableName });
    expect(environment.ORIGIN_VERIFY).not.toBe('off');
    const route = HTTP_FUNCTIONS.find((served) => served.id === me.definition.id)!.routes[0]!;
    const event = routeEvent(route, world, { ...environment, ORIGIN_VERIFY: 'off' });
    const wrong = routeEvent(route, world, { ...environment, ORIGIN_VERIFY: 'not-the-secret' });
    const invocation = await invokeBundle(me, environment, endpoints, [event, wrong]);
    expect(invocation.ok, invocation.output).toBe(true);
    expect((invocation.results as { statusCode: number }[]).map((result) => result.statusCode)).toEqual([
      403, 403,
    ]);
  });
});
