/**
 * Handle one outbox event (design §7): publish it, then send its emails, each at most once.
 * Input: the event and the delivery settings. Output: what was done and what failed (never throws
 * for a failed send or publish: the caller retries the event; it throws only when a store fails).
 *
 * Rules, per channel (`publish`, and `email:<recipient>` for each planned recipient):
 * - claim it (a conditional write), do the side effect, mark it done: a channel that is done is
 *   never repeated, however often the event is redelivered;
 * - a failed side effect releases the claim and is reported, so the event is retried and the
 *   retry does only what is not done yet;
 * - a claim held by an attempt that died expires after the lease, then the next attempt takes
 *   it over. The one window left: a process that dies after the provider accepted an email and
 *   before the done mark is written makes the retry send that email again (at least once, never
 *   lost); see docs/data-model.md, "Notifications".
 * When every channel is done the outbox item gets its expiry time (TTL).
 */
import type { DomainEvent } from '../events.ts';
import type { NotificationDeps } from '../ports.ts';
import { planNotifications } from './plan.ts';
import { recipientKey } from './recipients.ts';

export type DeliverySettings = {
  appBaseUrl: string;
  /** How long a claim holds before another attempt may take it over (at least the consumer's timeout). */
  leaseMs: number;
  /** How long done marks and the handled outbox item are kept. */
  retentionMs: number;
};

export type DeliveryFailure = { channel: string; reason: string };

export type DeliveryOutcome = {
  eventId: string;
  /** Channels whose side effect this attempt performed. */
  done: string[];
  /** Channels an earlier attempt had already done. */
  skipped: string[];
  failed: DeliveryFailure[];
};

export const PUBLISH_CHANNEL = 'publish';
export const emailChannel = (to: string): string => `email:${recipientKey(to)}`;

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export const deliverEvent = async (
  deps: NotificationDeps,
  event: DomainEvent,
  settings: DeliverySettings,
): Promise<DeliveryOutcome> => {
  const outcome: DeliveryOutcome = { eventId: event.id, done: [], skipped: [], failed: [] };

  const run = async (channel: string, effect: () => Promise<string | undefined>): Promise<boolean> => {
    const claimedAt = deps.clock.now();
    const claim = await deps.deliveries.claim(
      event.id,
      channel,
      claimedAt,
      new Date(claimedAt.getTime() + settings.leaseMs),
    );
    if (claim.state === 'done') {
      outcome.skipped.push(channel);
      return false;
    }
    if (claim.state === 'busy') {
      outcome.failed.push({ channel, reason: `claimed by another attempt until ${claim.until}` });
      return false;
    }
    let reference: string | undefined;
    try {
      reference = await effect();
    } catch (error) {
      outcome.failed.push({ channel, reason: reasonOf(error) });
      // Best effort: if the release fails too, the lease runs out and a later attempt takes over.
      await deps.deliveries.release(event.id, channel, claimedAt).catch(() => undefined);
      return false;
    }
    const at = deps.clock.now();
    await deps.deliveries.complete(
      event.id,
      channel,
      at,
      new Date(at.getTime() + settings.retentionMs),
      reference,
    );
    outcome.done.push(channel);
    return true;
  };

  if (
    await run(PUBLISH_CHANNEL, async () => {
      await deps.events.publish(event);
      return undefined;
    })
  ) {
    deps.metrics.event(event.type);
  }

  for (const email of await planNotifications(deps, event, settings.appBaseUrl)) {
    const sent = await run(emailChannel(email.to), async () => (await deps.mailer.send(email)).messageId);
    if (sent) deps.metrics.emailSent();
    else if (outcome.failed.some((failure) => failure.channel === emailChannel(email.to)))
      deps.metrics.emailFailed();
  }

  if (outcome.failed.length === 0) {
    const now = deps.clock.now();
    await deps.deliveries.settle(event.id, new Date(now.getTime() + settings.retentionMs));
  }
  return outcome;
};
