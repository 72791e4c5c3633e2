/**
 * Webhooks (docs/api.md "Webhooks"): an org's HTTPS endpoints that receive its deals' events, and
 * the deliveries made to them. One delivery per endpoint and event (plus one per manual
 * redelivery), worked through its attempts until it succeeds or its retry window ends.
 */
import type { Quota } from '../kernel/limits.ts';

/** What a receiver can subscribe to; `webhook.test` is sent only by the test ping. */
export const WEBHOOK_EVENT_TYPES = [
  'deal.created',
  'deal.updated',
  'deal.stage-changed',
  'deal.owner-changed',
  'deal.closed',
  'invitation.received',
  'invitation.accepted',
  'invitation.declined',
  'invitation.expired',
  'invitation.withdrawn',
  'registration.submitted',
  'registration.reviewed',
  'comment.created',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Subscribes to every type. */
export const ALL_EVENTS = '*';
export type WebhookSubscription = WebhookEventType | typeof ALL_EVENTS;

export const WEBHOOK_STATUSES = ['active', 'disabled'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

/** An org may keep at most this many endpoints: each event costs one delivery per endpoint. */
export const MAX_WEBHOOKS_PER_ORG = 10;
/** What the limit counts: the org's endpoints, whatever their status. */
export const WEBHOOK_QUOTA: Quota = { limit: MAX_WEBHOOKS_PER_ORG };

export type Webhook = {
  id: string;
  orgId: string;
  url: string;
  events: WebhookSubscription[];
  description?: string;
  status: WebhookStatus;
  /**
   * The Standard Webhooks signing secret (`whsec_<base64>`) as stored: sealed, never in plaintext
   * (`StoredSecret`). The org sees the plaintext only in the answer to a create or rotation.
   */
  secret: StoredSecret;
  /**
   * The secret a rotation replaced, which still signs every delivery until `until`, so a receiver
   * verifying either one keeps accepting deliveries while it is switched over.
   */
  previousSecret?: { secret: StoredSecret; until: string };
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency of PATCH and of the automatic disable. */
  version: number;
  /** Set when the endpoint was disabled because a delivery failed for its whole retry window. */
  disabledReason?: string;
};

/**
 * A signing secret as the store keeps it: `sealed` by the SecretSealer port under its endpoint's
 * binding, or, for an endpoint last written before secrets were sealed, still its `plaintext`. The
 * delivery signs with either; the next admin write of the endpoint (an edit, a rotation) seals it.
 */
export type StoredSecret = { sealed: string } | { plaintext: string };

/** What a sealed secret is bound to: it opens only for the endpoint (and org) it was sealed for. */
export type SecretBinding = { orgId: string; webhookId: string };

export const secretBinding = (webhook: Pick<Webhook, 'orgId' | 'id'>): SecretBinding => ({
  orgId: webhook.orgId,
  webhookId: webhook.id,
});

/** Whether any of the endpoint's secrets is still stored in plaintext. */
export const holdsPlaintextSecret = (webhook: Pick<Webhook, 'secret' | 'previousSecret'>): boolean =>
  'plaintext' in webhook.secret ||
  (webhook.previousSecret !== undefined && 'plaintext' in webhook.previousSecret.secret);

/** How long a rotated-out secret still signs deliveries beside the new one. */
export const PREVIOUS_SECRET_HOURS = 24;

/**
 * The secrets a delivery at `now` is signed with: the current one, and the previous one while its
 * overlap lasts (Standard Webhooks lets a delivery carry several signatures).
 */
export const signingSecrets = (
  webhook: Webhook,
  now: Date,
): { current: StoredSecret; previous?: StoredSecret } =>
  webhook.previousSecret && Date.parse(webhook.previousSecret.until) > now.getTime()
    ? { current: webhook.secret, previous: webhook.previousSecret.secret }
    : { current: webhook.secret };

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type WebhookDelivery = {
  id: string;
  webhookId: string;
  orgId: string;
  /** The `webhook-id` header: the event's id, the same on every attempt and redelivery. */
  eventId: string;
  type: WebhookEventType;
  /** The exact body sent on every attempt (signed per attempt with that attempt's timestamp). */
  payload: string;
  /** Attempts made so far. */
  attempt: number;
  status: DeliveryStatus;
  /** The last attempt's HTTP status; absent before the first attempt or when no response came. */
  responseStatus?: number;
  /** Why the last attempt failed without a response (timeout, refused address, …). */
  error?: string;
  createdAt: string;
  /** When the first attempt was made: the retry window counts from here. */
  firstAttemptAt?: string;
  /** When this delivery last changed (created, attempted, given up). */
  at: string;
  /** Pending only: when the next attempt is due (a claimed attempt moves it to the claim's lease end). */
  dueAt?: string;
};

export const subscribes = (webhook: Pick<Webhook, 'events' | 'status'>, type: WebhookEventType): boolean =>
  webhook.status === 'active' &&
  (type === 'webhook.test' || webhook.events.includes(ALL_EVENTS) || webhook.events.includes(type));

/**
 * An endpoint receives only what happened once it existed: a stream read again from its start (a
 * restart, a re-driven failure) must not send a new endpoint the org's past. Both are ISO instants.
 */
export const existedAt = (webhook: Pick<Webhook, 'createdAt'>, eventAt: string): boolean =>
  Date.parse(webhook.createdAt) <= Date.parse(eventAt);
