/**
 * The composition root of every entry point: wires the real adapters behind the domain's ports,
 * once per process (module scope survives between warm invocations). The local runtime and tests
 * may replace single ports (the clock, most often) through `overrideDeps`; the handlers never know
 * the difference.
 *
 * functions/composition holds one module per set of ports, each built the same way (`get…` builds
 * once, `override…` replaces single ports, `reset…` forgets): this one for the domain's ports on
 * the table, which HTTP routes, scheduled jobs and stream consumers all start from;
 * notifications.ts for the outbox consumer; webhooks.ts for the webhook routes, fan-out and delivery.
 */

import type { FileStore } from '#domain/attachments/ports.ts';
import type { BackgroundJobs, ExportFileStore } from '#domain/deals/ports.ts';
import type { Deps } from '#domain/deps.ts';
import type { ClientCredentials, IdentityProvider } from '#domain/identity/ports.ts';
import { BusinessRuleError } from '#domain/kernel/errors.ts';
import { CachedSolutionStore } from '../adapters/cached-solution-store.ts';
import { CognitoClientCredentials } from '../adapters/cognito/client-credentials.ts';
import { CognitoIdentityProvider } from '../adapters/cognito/identity-provider.ts';
import { DynamoApiClientStore } from '../adapters/dynamo/api-client-store.ts';
import { DynamoAttachmentStore } from '../adapters/dynamo/attachment-store.ts';
import { createDocumentClient } from '../adapters/dynamo/client.ts';
import { DynamoCommentStore } from '../adapters/dynamo/comment-store.ts';
import { DynamoCustomerStore } from '../adapters/dynamo/customer-store.ts';
import { DynamoDealStore } from '../adapters/dynamo/deal-store.ts';
import { DynamoExportStore } from '../adapters/dynamo/export-store.ts';
import { DynamoIdempotencyStore } from '../adapters/dynamo/idempotency-store.ts';
import { DynamoMembershipStore, DynamoOrgStore } from '../adapters/dynamo/org-store.ts';
import { DynamoResponsivenessStore } from '../adapters/dynamo/responsiveness-store.ts';
import { DynamoSignalStore } from '../adapters/dynamo/signal-store.ts';
import { DynamoSolutionStore } from '../adapters/dynamo/solution-store.ts';
import type { TableRef } from '../adapters/dynamo/table-ref.ts';
import { DynamoWebhookStore } from '../adapters/dynamo/webhook-store.ts';
import { LambdaBackgroundJobs } from '../adapters/lambda/background-jobs.ts';
import { S3ExportFiles } from '../adapters/s3/export-files.ts';
import { S3FileStore } from '../adapters/s3/file-store.ts';
import { systemBackoff, systemClock, ulidIds } from '../adapters/system.ts';
import {
  backgroundJobsConfig,
  bucketConfig,
  identityProviderConfig,
  solutionCacheMs,
  tableConfig,
} from '../config.ts';

let deps: Deps | undefined;
let overrides: Partial<Deps> = {};

/**
 * The bucket, built on first use: only the attachment functions are given the bucket's variables
 * (functions/environment.ts), and every other function must start without them.
 */
const lazyFileStore = (): FileStore => {
  let store: S3FileStore | undefined;
  const get = () => {
    store ??= new S3FileStore(bucketConfig());
    return store;
  };
  return {
    uploadUrl: (file, upload) => get().uploadUrl(file, upload),
    downloadUrl: (file, download) => get().downloadUrl(file, download),
    inspect: (file) => get().inspect(file),
    freeze: (file, copyId) => get().freeze(file, copyId),
  };
};

/** The export files, built on first use: only the export routes and function are given the bucket. */
const lazyExportFiles = (): ExportFileStore => {
  let store: S3ExportFiles | undefined;
  const get = () => {
    store ??= new S3ExportFiles(bucketConfig());
    return store;
  };
  return {
    write: (file, rows) => get().write(file, rows),
    downloadUrl: (file, download) => get().downloadUrl(file, download),
  };
};

/** The background functions' invoker, built on first use: only the routes that start jobs name them. */
const lazyBackgroundJobs = (): BackgroundJobs => {
  let jobs: LambdaBackgroundJobs | undefined;
  return {
    runExport: (job) => {
      jobs ??= new LambdaBackgroundJobs(backgroundJobsConfig());
      return jobs.runExport(job);
    },
  };
};

/** Set by a stack whose people sign in with another identity provider: no pool holds API clients. */
const NO_USER_POOL = 'none';

const unavailable = () =>
  new BusinessRuleError(
    'api-clients-unavailable',
    "This installation signs people in with another identity provider; API clients need the stack's own user pool.",
  );

/**
 * The identity provider, built on first use: only the functions that serve API clients are given
 * its variables.
 */
const lazyClientCredentials = (): ClientCredentials => {
  let provider: CognitoClientCredentials | undefined;
  const get = () => {
    const config = identityProviderConfig();
    if (config.userPoolId === NO_USER_POOL) throw unavailable();
    provider ??= new CognitoClientCredentials(config);
    return provider;
  };
  return {
    get tokenUrl() {
      return get().tokenUrl;
    },
    register: (input) => get().register(input),
    revoke: (clientId) => get().revoke(clientId),
  };
};

/**
 * People's sign-ins in the user pool, built on first use: only the function that invites and
 * removes members is given the pool's variables. With another identity provider the installation
 * manages its people there, so every call does nothing (docs/deploy.md).
 */
const lazyIdentityProvider = (): IdentityProvider => {
  let provider: IdentityProvider | undefined;
  const get = (): IdentityProvider => {
    if (!provider) {
      const config = identityProviderConfig();
      provider =
        config.userPoolId === NO_USER_POOL
          ? { ensureUser: async () => {}, signOutEverywhere: async () => {}, disable: async () => {} }
          : new CognitoIdentityProvider(config);
    }
    return provider;
  };
  return {
    ensureUser: (email, name) => get().ensureUser(email, name),
    signOutEverywhere: (email) => get().signOutEverywhere(email),
    disable: (email) => get().disable(email),
  };
};

/** Every port on the one DynamoDB table, with the system clock, ULIDs and real pauses. */
export const dynamoDeps = (table: TableRef, solutionCacheMs = 0): Deps => ({
  clock: systemClock,
  ids: ulidIds,
  backoff: systemBackoff,
  orgs: new DynamoOrgStore(table),
  memberships: new DynamoMembershipStore(table),
  customers: new DynamoCustomerStore(table),
  solutions: new CachedSolutionStore(new DynamoSolutionStore(table), solutionCacheMs),
  deals: new DynamoDealStore(table),
  responsiveness: new DynamoResponsivenessStore(table),
  signals: new DynamoSignalStore(table),
  attachments: new DynamoAttachmentStore(table),
  files: lazyFileStore(),
  webhooks: new DynamoWebhookStore(table),
  comments: new DynamoCommentStore(table),
  exports: new DynamoExportStore(table),
  exportFiles: lazyExportFiles(),
  jobs: lazyBackgroundJobs(),
  apiClients: new DynamoApiClientStore(table),
  clientCredentials: lazyClientCredentials(),
  identityProvider: lazyIdentityProvider(),
});

let table: TableRef | undefined;

/** The one table and its client, shared by the ports and the HTTP edge's idempotency records. */
const getTable = (): TableRef => {
  if (!table) {
    const { tableName, region, dynamodbEndpoint } = tableConfig();
    table = { db: createDocumentClient({ region, endpoint: dynamodbEndpoint }), tableName };
  }
  return table;
};

let idempotency: DynamoIdempotencyStore | undefined;

/** Idempotency records are an HTTP concern (docs/api.md), not a domain port. */
export const getIdempotencyStore = (): DynamoIdempotencyStore => {
  idempotency ??= new DynamoIdempotencyStore(getTable());
  return idempotency;
};

const build = (): Deps => dynamoDeps(getTable(), solutionCacheMs());

export const getDeps = (): Deps => {
  deps ??= { ...build(), ...overrides };
  return deps;
};

/** Replaces some ports for every later request in this process (local runtime, tests). */
export const overrideDeps = (partial: Partial<Deps>): void => {
  overrides = { ...overrides, ...partial };
  deps = undefined;
};

/** Forgets the wiring, so the next request builds it from the current environment. */
export const resetDeps = (): void => {
  overrides = {};
  deps = undefined;
  table = undefined;
  idempotency = undefined;
};
