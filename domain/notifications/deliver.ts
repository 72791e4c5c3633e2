/**
 * Handle one outbox event (docs/domain.md §7): publish it, then send its emails, each at most once.
 * Input: the event and the delivery settings. Output: what was done, what was refused for good and
 * what failed (never throws for a failed send or publish: the caller retries the event when
 * anything failed; it throws only when a store fails).
 *
 * Rules, per channel (`publish` for a deal's event, and `email:<recipient>` for each planned
 * recipient):
 * - claim it (a conditional write), do the side effect, mark it done: a channel that is done is
 *   never repeated, however often the event is redelivered;
 * - a failed side effect releases the claim and is reported, so the event is retried and the
 *   retry does only what is not done yet;
 * - a send the provider refused for good (PermanentDeliveryError) is marked done with the outcome
 *   `failed` and reported as rejected: it is never tried again and does not hold the event back;
 * - a claim held by an attempt that died expires after the lease, then the next attempt takes
 *   it over. The one window left: a process that dies after the provider accepted an email and
 *   before the done mark is written makes the retry send that email again (at least once, never
 *   lost); see docs/data-model.md, "Notifications".
 * When every channel is done the outbox item gets its expiry time (TTL).
 */
import { isMemberEvent, type OutboxEvent } from '../kernel/events.ts';
import { PermanentDeliveryError } from './errors.ts';
import { planNotifications } from './plan.ts';
import type { DeliveryResult, NotificationDeps } from './ports.ts';
import { recipientKey } from './recipients.ts';

export type DeliverySettings = {
  appBaseUrl: string;
  /** How long a claim holds before another attempt may take it over (at least the consumer's timeout). */
  leaseMs: number;
  /** How long done marks and the handled outbox item are kept. */
  retentionMs: number;
};

export type DeliveryFailure = {
  channel: string;
  reason: string;
  /** Refusals only: the provider's name for it, safe to log (the reason may name the address). */
  code?: string;
};

export type DeliveryOutcome = {
  eventId: string;
  /** Channels whose side effect this attempt performed. */
  done: string[];
  /** Channels an earlier attempt had already done (delivered or refused for good). */
  skipped: string[];
  /** Channels refused for good by this attempt: recorded as failed, never retried. */
  rejected: DeliveryFailure[];
  /** Channels that failed for now: the event must be retried. */
  failed: DeliveryFailure[];
};

/** How `run` ended for one channel. */
type RunResult = 'done' | 'skipped' | 'rejected' | 'failed';

export const PUBLISH_CHANNEL = 'publish';
export const emailChannel = (to: string): string => `email:${recipientKey(to)}`;

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export const deliverEvent = async (
  deps: NotificationDeps,
  event: OutboxEvent,
  settings: DeliverySettings,
): Promise<DeliveryOutcome> => {
  const outcome: DeliveryOutcome = { eventId: event.id, done: [], skipped: [], rejected: [], failed: [] };

  const finish = async (channel: string, result: DeliveryResult): Promise<void> => {
    const at = deps.clock.now();
    await deps.deliveries.complete(
      event.id,
      channel,
      at,
      new Date(at.getTime() + settings.retentionMs),
      result,
    );
  };

  const run = async (channel: string, effect: () => Promise<string | undefined>): Promise<RunResult> => {
    const claimedAt = deps.clock.now();
    const claim = await deps.deliveries.claim(
      event.id,
      channel,
      claimedAt,
      new Date(claimedAt.getTime() + settings.leaseMs),
    );
    if (claim.state === 'done') {
      outcome.skipped.push(channel);
      return 'skipped';
    }
    if (claim.state === 'busy') {
      outcome.failed.push({ channel, reason: `claimed by another attempt until ${claim.until}` });
      return 'failed';
    }
    let reference: string | undefined;
    try {
      reference = await effect();
    } catch (error) {
      if (error instanceof PermanentDeliveryError) {
        const reason = `${error.code}: ${error.message}`;
        await finish(channel, { outcome: 'failed', reason });
        outcome.rejected.push({ channel, reason, code: error.code });
        return 'rejected';
      }
      outcome.failed.push({ channel, reason: reasonOf(error) });
      // Best effort: if the release fails too, the lease runs out and a later attempt takes over.
      await deps.deliveries.release(event.id, channel, claimedAt).catch(() => undefined);
      return 'failed';
    }
    await finish(channel, { outcome: 'delivered', ...(reference ? { reference } : {}) });
    outcome.done.push(channel);
    return 'done';
  };

  // Member events are only emailed: the event bus (CRM connectors) hears of deals alone.
  if (!isMemberEvent(event)) {
    const published = await run(PUBLISH_CHANNEL, async () => {
      await deps.events.publish(event);
      return undefined;
    });
    if (published === 'done') deps.metrics.event(event.type);
  }

  for (const email of await planNotifications(deps, event, settings.appBaseUrl)) {
    const result = await run(emailChannel(email.to), async () => {
      const sent = await deps.mailer.send(email);
      if (sent.outcome === 'refused') throw new PermanentDeliveryError(sent.code, sent.reason);
      return sent.messageId;
    });
    if (result === 'done') deps.metrics.emailSent();
    else if (result === 'rejected') deps.metrics.emailRejected();
    else if (result === 'failed') deps.metrics.emailFailed();
  }

  if (outcome.failed.length === 0) {
    const now = deps.clock.now();
    await deps.deliveries.settle(event.id, new Date(now.getTime() + settings.retentionMs));
  }
  return outcome;
};
