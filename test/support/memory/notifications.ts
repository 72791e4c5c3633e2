/**
 * The notification consumer's side-effect ports in memory: a delivery log with the DynamoDB
 * adapter's claim semantics, a mailer and a publisher that record what they sent and can be told
 * to fail, and counting metrics.
 */

import type { DomainEvent } from '#domain/kernel/events.ts';
import type {
  DeliveryClaim,
  DeliveryLog,
  DeliveryResult,
  EventPublisher,
  Mailer,
  NotificationMetrics,
  OutgoingEmail,
  SendResult,
} from '#domain/notifications/ports.ts';

type Entry = {
  state: 'claimed' | 'done';
  claimedAt?: string;
  leaseUntil?: string;
  keepUntil?: string;
  result?: DeliveryResult;
};

export class MemoryDeliveryLog implements DeliveryLog {
  readonly entries = new Map<string, Entry>();
  /** Outbox event id → its expiry time, once settled. */
  readonly settled = new Map<string, string>();

  private key = (eventId: string, channel: string) => `${eventId}/${channel}`;

  async claim(eventId: string, channel: string, now: Date, leaseUntil: Date): Promise<DeliveryClaim> {
    const current = this.entries.get(this.key(eventId, channel));
    if (current?.state === 'done') return { state: 'done' };
    if (current && current.leaseUntil! >= now.toISOString())
      return { state: 'busy', until: current.leaseUntil! };
    this.entries.set(this.key(eventId, channel), {
      state: 'claimed',
      claimedAt: now.toISOString(),
      leaseUntil: leaseUntil.toISOString(),
    });
    return { state: 'claimed' };
  }

  async complete(eventId: string, channel: string, _at: Date, keepUntil: Date, result: DeliveryResult) {
    this.entries.set(this.key(eventId, channel), {
      state: 'done',
      keepUntil: keepUntil.toISOString(),
      result,
    });
  }

  /** The result a channel was marked done with, if it was. */
  resultOf(eventId: string, channel: string): DeliveryResult | undefined {
    return this.entries.get(this.key(eventId, channel))?.result;
  }

  async release(eventId: string, channel: string, claimedAt: Date) {
    const current = this.entries.get(this.key(eventId, channel));
    if (current?.state === 'claimed' && current.claimedAt === claimedAt.toISOString()) {
      this.entries.delete(this.key(eventId, channel));
    }
  }

  async settle(eventId: string, expiresAt: Date) {
    this.settled.set(eventId, expiresAt.toISOString());
  }
}

/**
 * Records every email it accepted; `failNext(n)` / `failWhile(predicate)` make sends reject as an
 * outage would, `refuse(addresses)` as a permanent refusal of those addresses would.
 */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  /** Every address a send was attempted to, in order (accepted or not). */
  readonly tried: string[] = [];
  attempts = 0;
  private failures = 0;
  private predicate: ((email: OutgoingEmail, attempt: number) => boolean) | undefined;
  private refused = new Set<string>();

  refuse(...addresses: string[]): void {
    this.refused = new Set(addresses.map((address) => address.toLowerCase()));
  }

  failNext(count: number): void {
    this.failures = count;
  }

  failWhile(predicate: ((email: OutgoingEmail, attempt: number) => boolean) | undefined): void {
    this.predicate = predicate;
  }

  async send(email: OutgoingEmail): Promise<SendResult> {
    this.attempts += 1;
    this.tried.push(email.to);
    if (this.refused.has(email.to.toLowerCase()))
      return { outcome: 'refused', code: 'MessageRejected', reason: `${email.to} is refused` };
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('SES is unavailable');
    }
    if (this.predicate?.(email, this.attempts)) throw new Error('SES is unavailable');
    this.sent.push(email);
    return { outcome: 'sent', messageId: `msg-${this.sent.length}` };
  }
}

export class RecordingPublisher implements EventPublisher {
  readonly published: DomainEvent[] = [];
  failing = false;

  async publish(event: DomainEvent) {
    if (this.failing) throw new Error('EventBridge is unavailable');
    this.published.push(event);
  }
}

export class CountingMetrics implements NotificationMetrics {
  readonly events: string[] = [];
  sent = 0;
  failed = 0;
  rejected = 0;
  event(type: string) {
    this.events.push(type);
  }
  emailSent() {
    this.sent += 1;
  }
  emailFailed() {
    this.failed += 1;
  }
  emailRejected() {
    this.rejected += 1;
  }
}
