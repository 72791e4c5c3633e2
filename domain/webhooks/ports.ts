/**
 * What the webhook use cases need from the outside world: the store of endpoints and deliveries
 * (functions/adapters/dynamo/webhook-store.ts), the HTTP transport with its address policy and the
 * Standard Webhooks signer (functions/adapters/webhooks/), and the sealer of signing secrets
 * (functions/adapters/kms/).
 */
import type { DealStore } from '../deals/ports.ts';
import type { MembershipStore } from '../identity/ports.ts';
import type { Clock } from '../kernel/clock.ts';
import type { Ids } from '../kernel/ids.ts';
import type { Quota } from '../kernel/limits.ts';
import type { Page, PageRequest } from '../kernel/page.ts';
import type { Backoff } from '../kernel/retry.ts';
import type { Mailer } from '../notifications/ports.ts';
import type { SecretBinding, Webhook, WebhookDelivery } from './model.ts';

export interface WebhookStore {
  /** The org's endpoints (at most MAX_WEBHOOKS_PER_ORG), oldest first, strongly consistent. */
  list(orgId: string): Promise<Webhook[]>;
  get(orgId: string, webhookId: string): Promise<Webhook | undefined>;
  /**
   * Adds an endpoint on condition that the org then holds no more than `quota` allows (a condition
   * of the write itself): `limit-reached` when it would, `conflict` when a concurrent write held the
   * org's count (nothing was written).
   */
  create(webhook: Webhook, quota: Quota): Promise<'written' | 'limit-reached' | 'conflict'>;
  /** Replaces an endpoint read at `next.version - 1`: `stale` when it changed or went meanwhile. */
  update(next: Webhook): Promise<'written' | 'stale'>;
  /** Removes an endpoint and counts it out: `absent` when there was none, `conflict` as for `create`. */
  remove(orgId: string, webhookId: string): Promise<'removed' | 'absent' | 'conflict'>;

  /** Adds a pending delivery, due at its `dueAt`: `exists` when the endpoint has it already. */
  addDelivery(delivery: WebhookDelivery): Promise<'written' | 'exists'>;
  getDelivery(webhookId: string, deliveryId: string): Promise<WebhookDelivery | undefined>;
  /** An endpoint's deliveries, newest first. */
  listDeliveries(webhookId: string, page: PageRequest): Promise<Page<WebhookDelivery>>;
  /** Pending deliveries due at or before `before`, soonest first (every endpoint's). */
  dueDeliveries(before: string, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Takes a pending delivery for one attempt by moving its due time to `leaseUntil`, on condition
   * that it is still pending and due when it was read: undefined when another worker took it. A
   * worker that dies mid-attempt leaves it due again at `leaseUntil`.
   */
  claim(delivery: WebhookDelivery, leaseUntil: string): Promise<WebhookDelivery | undefined>;
  /** Stores what an attempt did (`next`), on condition that the claim (`claimed.dueAt`) still holds. */
  record(claimed: WebhookDelivery, next: WebhookDelivery): Promise<'written' | 'stale'>;
}

/** What one POST did: a response status, or no response at all (timeout, refused address, …). */
export type PostResult = { status: number } | { error: string };

export interface WebhookTransport {
  /** Why `url` may not receive deliveries here (scheme, address), or undefined when it may. */
  refusal(url: string): Promise<string | undefined>;
  /**
   * POSTs `body` with `headers` to `url`, re-checking its address, following no redirect, giving
   * up after the timeout. Never rejects: every failure is a result.
   */
  post(url: string, headers: Record<string, string>, body: string): Promise<PostResult>;
}

export interface WebhookSigner {
  /** A new `whsec_…` secret. */
  newSecret(): string;
  /**
   * The Standard Webhooks headers of one attempt (`webhook-id`, `webhook-timestamp`,
   * `webhook-signature`, one signature per secret, space-separated). The timestamp is the signer's
   * real time, never the domain clock: the receiver compares it with its own clock to refuse replays.
   */
  headers(secrets: readonly string[], webhookId: string, body: string): Record<string, string>;
}

/**
 * Keeps signing secrets unreadable at rest. A sealed secret is bound to its endpoint: it opens only
 * with the binding it was sealed under, so a sealed value copied into another endpoint's item (or
 * another org's) does not open there.
 */
export interface SecretSealer {
  seal(secret: string, binding: SecretBinding): Promise<string>;
  /**
   * The secret, or undefined when `sealed` does not open under `binding` (altered, or sealed for
   * another endpoint). Rejects when the sealing service could not answer: the caller may retry.
   */
  open(sealed: string, binding: SecretBinding): Promise<string | undefined>;
}

/** The org-admin routes. */
export type WebhookAdminDeps = {
  clock: Clock;
  backoff: Backoff;
  ids: Ids;
  webhooks: WebhookStore;
  transport: WebhookTransport;
  signer: WebhookSigner;
  /** Seals new secrets, and secrets still stored in plaintext when the endpoint is written. */
  sealer: Pick<SecretSealer, 'seal'>;
};

/** The fan-out from the outbox stream: the deal reader and the store. */
export type WebhookFanOutDeps = { clock: Clock; deals: DealStore; webhooks: WebhookStore };

/**
 * The delivery worker: the store, the transport and signer, the sealer's opening half (it never
 * seals: what it writes back carries the secrets as it read them), and the org admins' email.
 */
export type WebhookDeliveryDeps = {
  clock: Clock;
  memberships: MembershipStore;
  webhooks: WebhookStore;
  transport: WebhookTransport;
  signer: WebhookSigner;
  sealer: Pick<SecretSealer, 'open'>;
  mailer: Mailer;
  appBaseUrl: string;
};
