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
import type { Deps } from '#domain/deps.ts';
import { CachedSolutionStore } from '../adapters/cached-solution-store.ts';
import { DynamoAttachmentStore } from '../adapters/dynamo/attachment-store.ts';
import { createDocumentClient } from '../adapters/dynamo/client.ts';
import { DynamoCommentStore } from '../adapters/dynamo/comment-store.ts';
import { DynamoCustomerStore } from '../adapters/dynamo/customer-store.ts';
import { DynamoDealStore } from '../adapters/dynamo/deal-store.ts';
import { DynamoIdempotencyStore } from '../adapters/dynamo/idempotency-store.ts';
import { DynamoMembershipStore, DynamoOrgStore } from '../adapters/dynamo/org-store.ts';
import { DynamoResponsivenessStore } from '../adapters/dynamo/responsiveness-store.ts';
import { DynamoSolutionStore } from '../adapters/dynamo/solution-store.ts';
import type { TableRef } from '../adapters/dynamo/table-ref.ts';
import { DynamoWebhookStore } from '../adapters/dynamo/webhook-store.ts';
import { S3FileStore } from '../adapters/s3/file-store.ts';
import { systemBackoff, systemClock, ulidIds } from '../adapters/system.ts';
import { bucketConfig, solutionCacheMs, tableConfig } from '../config.ts';

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
  attachments: new DynamoAttachmentStore(table),
  files: lazyFileStore(),
  webhooks: new DynamoWebhookStore(table),
  comments: new DynamoCommentStore(table),
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
