/**
 * The artifact tier's requests: every route of the table called as a client would call it when it
 * succeeds. Each request is built from the OpenAPI document (functions/http/openapi/openapi.json):
 * the body is the operation's first request example, the query its parameters' examples, and the
 * status expected is the one success status the operation declares. What an example cannot know
 * comes from items seeded through the real use cases on the tier's table, one set per route so the
 * routes can run in any order: the ids in examples are placeholders (`01JCUSTOMER…`, the Fabrikam
 * org `01JFABRIKAM…`) that name what they stand for, and each is swapped for its seeded item.
 */
import { PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { requestUpload } from '#domain/attachments/use-cases.ts';
import type { ExportJob } from '#domain/deals/model.ts';
import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { addComment } from '#domain/deals/use-cases/comments.ts';
import { createDeal } from '#domain/deals/use-cases/create-deal.ts';
import { startExport } from '#domain/deals/use-cases/export-deals.ts';
import { setFavorite } from '#domain/deals/use-cases/favorites.ts';
import { registerDeal } from '#domain/deals/use-cases/registration.ts';
import type { Deps } from '#domain/deps.ts';
import { createCustomer } from '#domain/directory/customers.ts';
import { publishSolution } from '#domain/directory/solutions.ts';
import { createApiClient } from '#domain/identity/api-clients.ts';
import { inviteMember } from '#domain/identity/members.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { createWebhook, testWebhook } from '#domain/webhooks/manage.ts';
import type { WebhookAdminDeps } from '#domain/webhooks/ports.ts';
import { CognitoClientCredentials } from '#functions/adapters/cognito/client-credentials.ts';
import { KmsSecretSealer } from '#functions/adapters/kms/kms-secret-sealer.ts';
import { objectKey, S3FileStore, SCAN_CLEAN, SCAN_TAG } from '#functions/adapters/s3/file-store.ts';
import { HttpWebhookTransport } from '#functions/adapters/webhooks/http-transport.ts';
import { standardWebhooksSigner } from '#functions/adapters/webhooks/standard-webhooks-signer.ts';
import type { OpenApiDocument, Operation } from '#functions/http/openapi/generate.ts';
import { type RouteDefinition, routeKey } from '#functions/http/routes.ts';
import type { World } from './deal-world.ts';

/** Who calls: the token's subject and email (the authorizer's claims), or nobody on public routes. */
export type Caller = { sub: string; email: string };

/** What a route's request takes from the seeded items: its caller, path parameters, placeholders. */
export type RouteCall = { caller?: Caller; params?: Record<string, string> };

export type RouteFixtures = {
  /** By route key (`POST /v1/deals`). */
  calls: Record<string, RouteCall>;
  /** Placeholders of the document's examples and the seeded values that replace them. */
  placeholders: Record<string, string>;
  /** The webhook the delivery job sends a due delivery to, and the one the fan-out queues for. */
  deliveryWebhookId: string;
  fanOutWebhookId: string;
  /** An export the route has queued (its function runs it), whose status the status route reads. */
  exportJob: ExportJob;
};

/** A request as the tier sends it, and the status the document declares for its success. */
export type RouteRequest = {
  caller?: Caller;
  rawPath: string;
  pathParameters: Record<string, string>;
  rawQueryString: string;
  body?: unknown;
  expected: number;
};

export type SeedContext = {
  deps: Deps;
  world: World;
  /** The S3 emulator and the bucket the functions' ATTACHMENTS_BUCKET names here. */
  s3: { endpoint: string; bucket: string };
  /** The user pool stand-in, where API clients are made. */
  cognitoEndpoint: string;
  /** The KMS stand-in and the key the functions seal and open webhook secrets with. */
  kms: { endpoint: string; keyId: string };
  /** A receiver that accepts every webhook delivery. */
  receiverUrl: string;
};

/** Runs one seeding step, naming it when it fails (the tier's setup reports nothing else). */
const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    throw new Error(`Seeding ${what} failed: ${String((error as Error)?.stack ?? error)}`);
  }
};

const as = (actor: Actor): Caller => ({ sub: actor.sub, email: actor.email });

/** An uploaded attachment of the actor's deal, its bytes in the bucket and tagged clean by the scanner. */
const uploaded = async (context: SeedContext, files: S3FileStore, actor: Actor, dealId: string) => {
  const bytes = Buffer.from('signed order form');
  const { attachment, uploadUrl } = await requestUpload({ ...context.deps, files }, actor, {
    dealId,
    fileName: 'order-form.pdf',
    contentType: 'application/pdf',
    size: bytes.length,
  });
  const put = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': 'application/pdf', 'content-length': String(bytes.length) },
    body: bytes,
  });
  if (!put.ok) throw new Error(`uploading ${attachment.id}: ${put.status} ${await put.text()}`);
  // What GuardDuty writes on a clean file: prod's functions (ATTACHMENT_SCAN=guardduty) hand it out.
  const s3 = new S3Client({ region: 'us-east-1', endpoint: context.s3.endpoint, forcePathStyle: true });
  await s3.send(
    new PutObjectTaggingCommand({
      Bucket: context.s3.bucket,
      Key: objectKey(attachment),
      Tagging: { TagSet: [{ Key: SCAN_TAG, Value: SCAN_CLEAN }] },
    }),
  );
  s3.destroy();
  return attachment;
};

/** A won co-sell deal of Fabrikam with the host's accepted deal of the engagement: what registers. */
const wonCoSell = async ({ deps, world }: SeedContext) => {
  const created = await createDeal(
    deps,
    world.partner,
    world.input({
      customer: {
        id: world.customer.id,
        contact: { name: 'Ina Buyer', phone: '+49 89 1', email: 'ina@tailspin.example' },
        consentToShareWithHost: true,
      },
      invite: { host: { helpType: 'pricing' } },
    }),
  );
  const hostDealId = created.participants[world.host.orgId]?.dealId;
  if (!hostDealId) throw new Error('the host received no invitation');
  await acceptInvitation(deps, world.host, { dealId: hostDealId });
  await closeDeal(deps, world.partner, { dealId: created.id, outcome: 'won' });
  return { dealId: created.id, hostDealId };
};

/**
 * Seeds what each route needs on the world's table (and the bucket, the user pool) and names, per
 * route, who calls it with which path parameters. Fabrikam's admin calls unless a route needs
 * another: the host for what only the host does (retiring a customer, reviewing a registration), Adatum to answer Fabrikam's invitations, a
 * person who is nobody's member yet for the org invitations.
 */
export const seedRouteFixtures = async (context: SeedContext): Promise<RouteFixtures> => {
  const { deps, world } = context;
  const { partner, host, other } = world;
  const files = new S3FileStore({
    bucket: context.s3.bucket,
    region: 'us-east-1',
    scan: 'none',
    endpoint: context.s3.endpoint,
  });
  const webhookDeps: WebhookAdminDeps = {
    ...deps,
    transport: new HttpWebhookTransport({ allowLoopback: true }),
    signer: standardWebhooksSigner,
    sealer: new KmsSecretSealer({ ...context.kms, region: 'us-east-1' }),
  };

  // Four independent groups seeded side by side (each its own items), each in its own order.
  const person = (name: string): Caller => ({
    sub: `artifact-${name}`,
    email: `artifact-${name}@person.example`,
  });
  const joiner = person('joiner');
  const decliner = person('decliner');
  const reader = person('reader');
  const dealId = (created: { id: string }) => created.id;
  const [identity, directory, deals, hooks] = await Promise.all([
    // Identity: people invited to the host's org, members to change and remove, an API client.
    step('the identity routes', async () => {
      for (const invited of [joiner, decliner, reader]) {
        await inviteMember(deps, host, {
          email: invited.email,
          name: invited.sub,
          roles: ['referral-user'],
          locations: ['DE'],
        });
      }
      const updated = await world.member(partner, 'artifact-updated', ['referral-user'], ['DE']);
      const removed = await world.member(partner, 'artifact-removed', ['referral-user'], ['DE']);
      const { client } = await createApiClient(
        {
          ...deps,
          clientCredentials: new CognitoClientCredentials({
            userPoolId: 'artifact-pool',
            tokenUrl: 'https://auth.example/oauth2/token',
            region: 'us-east-1',
            endpoint: context.cognitoEndpoint,
          }),
        },
        partner,
        { name: 'Artifact connector', scopes: ['deals:read'] },
      );
      return { updated, removed, client };
    }),
    // Directory: a customer to correct, one to retire, a solution to update.
    step('the directory routes', async () => {
      const newCustomer = (name: string) =>
        createCustomer(deps, partner, { name, country: 'DE', address: 'Berlin' });
      const [corrected, retired, solution] = await Promise.all([
        newCustomer('Artifact Correct'),
        newCustomer('Artifact Retire'),
        publishSolution(deps, partner, { name: 'Fabrikam Insights', coSellReady: false }),
      ]);
      return { corrected, retired, solution };
    }),
    // Deals: one per route that changes one, so none depends on another's outcome.
    step('the deal routes', async () => {
      const [deal, updatedDeal, staged, closed, inviting, unfavored, withFile] = await Promise.all(
        Array.from({ length: 7 }, () => world.create(partner).then(dealId)),
      );
      const [withdrawn, accepted, declined, registering, reviewed] = await Promise.all([
        world.invited(partner, other),
        world.invited(partner, other),
        world.invited(partner, other),
        wonCoSell(context),
        wonCoSell(context),
      ]);
      const [evidence, file] = await Promise.all([
        uploaded(context, files, partner, registering.dealId),
        uploaded(context, files, partner, withFile!),
        setFavorite(deps, partner, { dealId: unfavored!, favorite: true }),
        addComment(deps, partner, { dealId: deal!, text: 'Kick-off done.', visibility: 'engagement' }),
        registerDeal({ ...deps, files }, partner, { dealId: reviewed.dealId, contractSigned: true }),
      ]);
      await addComment(deps, partner, { dealId: deal!, text: 'Demo booked.', visibility: 'org' });
      return {
        deal: deal!,
        updatedDeal: updatedDeal!,
        staged: staged!,
        closed: closed!,
        inviting: inviting!,
        unfavored: unfavored!,
        withFile: withFile!,
        withdrawn,
        accepted,
        declined,
        registering,
        reviewed,
        evidence,
        file,
      };
    }),
    // Webhooks: Fabrikam's endpoints to read, change, delete and test, with a due delivery; one of
    // Adatum's for the fan-out (Adatum receives Fabrikam's invitations). One at a time: each
    // counts against its org's limit.
    step('the webhook routes', async () => {
      const webhook = async (actor: Actor, description: string) =>
        (await createWebhook(webhookDeps, actor, { url: context.receiverUrl, events: ['*'], description }))
          .webhook;
      const read = await webhook(partner, 'read, test, rotate, redeliver');
      const changed = await webhook(partner, 'change');
      const deleted = await webhook(partner, 'delete');
      const delivery = await testWebhook(webhookDeps, partner, read.id);
      const fanOut = await webhook(other, 'fan-out');
      return { read, changed, deleted, delivery, fanOut };
    }),
  ]);
  const { updated, removed, client } = identity;
  const { corrected, retired, solution } = directory;
  const { deal, updatedDeal, staged, closed, inviting, unfavored, withFile } = deals;
  const { withdrawn, accepted, declined, registering, reviewed, evidence, file } = deals;
  const { read, changed, deleted, delivery, fanOut } = hooks;

  const exportJob = await step('an export', () =>
    startExport({ ...deps, jobs: { runExport: async () => undefined } }, partner, {}),
  );
  const P = as(partner);
  const calls: Record<string, RouteCall> = {
    'GET /health': {},
    'GET /openapi.json': {},
    'GET /v1/me': { caller: P },
    'GET /v1/me/invitations': { caller: reader },
    'POST /v1/me/invitations/{orgId}/accept': { caller: joiner, params: { orgId: host.orgId } },
    'POST /v1/me/invitations/{orgId}/decline': { caller: decliner, params: { orgId: host.orgId } },
    'GET /v1/org/users': { caller: P },
    'POST /v1/org/users': { caller: P },
    'PATCH /v1/org/users/{email}': { caller: P, params: { email: updated.email } },
    'DELETE /v1/org/users/{email}': { caller: P, params: { email: removed.email } },
    'GET /v1/org/api-clients': { caller: P },
    'POST /v1/org/api-clients': { caller: P },
    'DELETE /v1/org/api-clients/{id}': { caller: P, params: { id: client.id } },
    'GET /v1/customers': { caller: P },
    'POST /v1/customers': { caller: P },
    'PATCH /v1/customers/{id}': { caller: P, params: { id: corrected.id } },
    'DELETE /v1/customers/{id}': { caller: as(host), params: { id: retired.id } },
    'GET /v1/solutions': { caller: P },
    'POST /v1/solutions': { caller: P },
    'PATCH /v1/solutions/{id}': { caller: P, params: { id: solution.id } },
    'GET /v1/partners': { caller: as(host) },
    'GET /v1/contacts/recent': { caller: P },
    'GET /v1/reports/pipeline': { caller: P },
    'POST /v1/deals': { caller: P },
    'GET /v1/deals': { caller: P },
    'GET /v1/deals/{id}': { caller: P, params: { id: deal } },
    'PATCH /v1/deals/{id}': { caller: P, params: { id: updatedDeal } },
    'POST /v1/deals/{id}/stage': { caller: P, params: { id: staged } },
    'POST /v1/deals/{id}/close': { caller: P, params: { id: closed } },
    'POST /v1/deals/{id}/invitations': { caller: P, params: { id: inviting } },
    'DELETE /v1/deals/{id}/invitations/{orgId}': {
      caller: P,
      params: { id: withdrawn.deal.id, orgId: other.orgId },
    },
    'POST /v1/deals/{id}/accept': { caller: as(other), params: { id: accepted.received.id } },
    'POST /v1/deals/{id}/decline': { caller: as(other), params: { id: declined.received.id } },
    'POST /v1/deals/{id}/registration': { caller: P, params: { id: registering.dealId } },
    'POST /v1/deals/{id}/registration/review': { caller: as(host), params: { id: reviewed.hostDealId } },
    'PUT /v1/deals/{id}/favorite': { caller: P, params: { id: deal } },
    'PUT /v1/deals/{id}/owner': { caller: P, params: { id: deal } },
    'POST /v1/deals/exports': { caller: P },
    'GET /v1/deals/exports/{id}': { caller: P, params: { id: exportJob.id } },
    'DELETE /v1/deals/{id}/owner': { caller: P, params: { id: unfavored } },
    'GET /v1/deals/{id}/owner-candidates': { caller: P, params: { id: deal } },
    'GET /v1/deals/{id}/partner-suggestions': { caller: P, params: { id: inviting } },
    'DELETE /v1/deals/{id}/favorite': { caller: P, params: { id: unfavored } },
    'GET /v1/deals/{id}/history': { caller: P, params: { id: deal } },
    'POST /v1/deals/{id}/attachments': { caller: P, params: { id: deal } },
    'GET /v1/deals/{id}/attachments': { caller: P, params: { id: withFile } },
    'GET /v1/deals/{id}/attachments/{attachmentId}': {
      caller: P,
      params: { id: withFile, attachmentId: file.id },
    },
    'POST /v1/webhooks': { caller: P },
    'GET /v1/webhooks': { caller: P },
    'GET /v1/webhooks/{id}': { caller: P, params: { id: read.id } },
    'PATCH /v1/webhooks/{id}': { caller: P, params: { id: changed.id } },
    'DELETE /v1/webhooks/{id}': { caller: P, params: { id: deleted.id } },
    'POST /v1/webhooks/{id}/test': { caller: P, params: { id: read.id } },
    'POST /v1/webhooks/{id}/rotate-secret': { caller: P, params: { id: read.id } },
    'GET /v1/webhooks/{id}/deliveries': { caller: P, params: { id: read.id } },
    'POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
      caller: P,
      params: { id: read.id, deliveryId: delivery.id },
    },
    'POST /v1/deals/{id}/comments': { caller: P, params: { id: deal } },
    'GET /v1/deals/{id}/comments': { caller: P, params: { id: deal } },
  };
  return {
    calls,
    placeholders: {
      '01JFABRIKAM0000000000000000': partner.orgId,
      '01JADATUM000000000000000000': other.orgId,
      '01JCUSTOMER0000000000000000': world.customer.id,
      '01JSOLUTION0000000000000000': world.hostSolution.id,
      '01JATTACHMENT0000000000000': evidence.id,
      'admin@fabrikam.example': partner.email,
      'https://crm.fabrikam.example/hooks/co-sell': context.receiverUrl,
    },
    deliveryWebhookId: read.id,
    exportJob,
    fanOutWebhookId: fanOut.id,
  };
};

/** An id the examples use as a placeholder: `01J`, upper-case letters naming the item, zeros. */
const PLACEHOLDER_ID = /"(01J[A-Z]+0+)"/;

const substitute = (value: unknown, placeholders: Record<string, string>, key: string): unknown => {
  let json = JSON.stringify(value);
  for (const [placeholder, seeded] of Object.entries(placeholders))
    json = json.replaceAll(placeholder, seeded);
  const left = PLACEHOLDER_ID.exec(json);
  if (left) throw new Error(`${key}: the example's ${left[1]} stands for no seeded item`);
  return JSON.parse(json);
};

const operationOf = (document: OpenApiDocument, route: RouteDefinition): Operation => {
  const operation = document.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) throw new Error(`${routeKey(route)} is not in the OpenAPI document`);
  return operation;
};

/** The one 2xx status the operation declares. */
export const documentedSuccess = (document: OpenApiDocument, route: RouteDefinition): number => {
  const statuses = Object.keys(operationOf(document, route).responses).filter((status) =>
    status.startsWith('2'),
  );
  if (statuses.length !== 1) {
    throw new Error(`${routeKey(route)} declares ${statuses.length} success statuses, not one`);
  }
  return Number(statuses[0]);
};

/** The route's request: the document's examples with the seeded items in, as `calls` names them. */
export const routeRequest = (
  document: OpenApiDocument,
  route: RouteDefinition,
  fixtures: RouteFixtures,
): RouteRequest => {
  const key = routeKey(route);
  const call = fixtures.calls[key];
  if (!call) throw new Error(`${key}: no seeded request (test/support/artifact-routes.ts)`);
  const operation = operationOf(document, route);
  const pathParameters = call.params ?? {};
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = pathParameters[name];
    if (value === undefined) throw new Error(`${key}: no seeded value for {${name}}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams();
  for (const parameter of operation.parameters) {
    const example = (parameter.schema.examples as unknown[] | undefined)?.[0];
    if (parameter.in === 'query' && example !== undefined) query.set(parameter.name, String(example));
    else if (parameter.in === 'query' && parameter.required) {
      throw new Error(`${key}: the required query parameter ${parameter.name} has no example`);
    }
  }
  // A page of one of several items signs a next cursor: the route reads the cursor secret.
  if (route.cursors) query.set('limit', '1');
  const examples = operation.requestBody?.content['application/json']?.examples as
    | Record<string, { value: unknown }>
    | undefined;
  const example = examples && Object.values(examples)[0];
  if (operation.requestBody && !example) throw new Error(`${key}: its request body has no example`);
  return {
    ...(call.caller ? { caller: call.caller } : {}),
    rawPath,
    pathParameters,
    rawQueryString: query.toString(),
    ...(example ? { body: substitute(example.value, fixtures.placeholders, key) } : {}),
    expected: documentedSuccess(document, route),
  };
};
