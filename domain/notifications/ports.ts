/**
 * Ports of the notifications context (docs/domain.md §7): what the outbox consumer needs besides
 * the stores it reads recipients from.
 */
import type { CommentStore, DealStore } from '../deals/ports.ts';
import type { MembershipStore, OrgStore } from '../identity/ports.ts';
import type { Clock } from '../kernel/clock.ts';
import type { DomainEvent } from '../kernel/events.ts';

/** One email to one recipient: a subject and the same message as plain text and as HTML. */
export type OutgoingEmail = { to: string; subject: string; text: string; html: string };

/**
 * What the provider did with one email: accepted it (with its message id, when it gave one), or
 * refused it for good (`code` is the provider's name for the refusal): this message to this address
 * can never be accepted, so it is recorded as failed instead of retried.
 */
export type SendResult =
  | { outcome: 'sent'; messageId?: string }
  | { outcome: 'refused'; code: string; reason: string };

export interface Mailer {
  /** Sends one email; rejects when a later attempt may succeed (an outage, throttling). */
  send(email: OutgoingEmail): Promise<SendResult>;
}

export interface EventPublisher {
  /** Publishes one domain event for CRM connectors and webhooks; rejects when it was not accepted. */
  publish(event: DomainEvent): Promise<void>;
}

/**
 * How a channel ended: its side effect happened (with the provider's reference, e.g. the SES message
 * id), or it was refused for good and will not be tried again.
 */
export type DeliveryResult =
  | { outcome: 'delivered'; reference?: string }
  | { outcome: 'failed'; reason: string };

/**
 * What has been done for one outbox item, per channel: `email:<recipient>` (lower-cased) or
 * `publish`. A channel is `claimed` before the side effect and `done` after it, so a redelivered
 * outbox item repeats nothing that is done, and a claim left by a consumer that died expires.
 */
export type DeliveryClaim =
  | { state: 'claimed' }
  | { state: 'done' }
  /** Another attempt holds the claim until `until` (ISO time). */
  | { state: 'busy'; until: string };

export interface DeliveryLog {
  /** Claims the channel until `leaseUntil` unless it is done or someone else's claim is still live. */
  claim(eventId: string, channel: string, now: Date, leaseUntil: Date): Promise<DeliveryClaim>;
  /** Marks the channel done with its result (kept until `keepUntil`, then removed by TTL). */
  complete(
    eventId: string,
    channel: string,
    at: Date,
    keepUntil: Date,
    result: DeliveryResult,
  ): Promise<void>;
  /** Gives a claim up after a failed attempt, so the next attempt need not wait for the lease. */
  release(eventId: string, channel: string, claimedAt: Date): Promise<void>;
  /** The outbox item is fully handled: it expires (TTL) at `expiresAt`. */
  settle(eventId: string, expiresAt: Date): Promise<void>;
}

/** Counters of the consumer (CloudWatch metrics in AWS, nothing locally). */
export interface NotificationMetrics {
  event(type: string): void;
  emailSent(): void;
  /** A send that failed and will be retried. */
  emailFailed(): void;
  /** A send the provider refused for good: recorded as failed, never retried. */
  emailRejected(): void;
}

/** The outbox consumer's ports: the readers it resolves recipients with, and its side effects. */
export type NotificationDeps = {
  clock: Clock;
  orgs: OrgStore;
  memberships: MembershipStore;
  deals: DealStore;
  comments: CommentStore;
  mailer: Mailer;
  events: EventPublisher;
  deliveries: DeliveryLog;
  metrics: NotificationMetrics;
};
