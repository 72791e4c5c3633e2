/**
 * Getting events to webhooks (docs/api.md "Webhooks"), at least once:
 *
 * - `fanOut` (the outbox stream's webhook consumer): for each org an event concerns
 *   (routing.ts), one pending delivery per active endpoint subscribed to its type, carrying the org's
 *   own deal; an endpoint created after the event gets nothing of it. A delivery's id for an outbox event is the event id, so a replayed stream record adds
 *   nothing twice. Nothing is sent here: a slow receiver never holds the stream back.
 * - `workDeliveries` (the scheduled delivery function): takes due deliveries (a conditional claim
 *   that moves the due time to a lease end, so a crashed worker's delivery comes due again), one at
 *   a time per endpoint and several endpoints at once, each POST bounded by the transport's timeout;
 *   runs that overlap share which endpoints are in flight, so none waits on another's slow endpoint.
 *   Each attempt opens the endpoint's sealed secrets (model.ts `signingSecrets`) to sign, and seals
 *   nothing: what it writes back carries the secrets as it read them.
 *   A failure is retried on retry-schedule.ts's schedule; a delivery that fails for the whole window
 *   is given up and its endpoint disabled, and the org's admins are emailed once (whoever disables
 *   it, by a conditional write, sends the email).
 */

import type { Membership } from '../identity/model.ts';
import { isMemberEvent, type OutboxEvent } from '../kernel/events.ts';
import { escapeHtml } from '../notifications/messages.ts';
import type { OutgoingEmail } from '../notifications/ports.ts';
import {
  existedAt,
  type SecretBinding,
  type StoredSecret,
  secretBinding,
  signingSecrets,
  subscribes,
  type Webhook,
  type WebhookDelivery,
} from './model.ts';
import type { WebhookDeliveryDeps, WebhookFanOutDeps } from './ports.ts';
import { nextAttemptAt } from './retry-schedule.ts';
import { webhookNotices } from './routing.ts';

/** Deals are read as this viewer; it only decides the (unused) favorite mark. */
export const WEBHOOKS_VIEWER = 'system:webhooks';

/** How long a claimed attempt holds its delivery: longer than the transport's timeout. */
export const CLAIM_LEASE_MS = 30_000;

/**
 * The deliveries written for one event (0 when no endpoint of a concerned org subscribes). An org's
 * endpoints hear of its deals only: a member event (whom the org invites) is never delivered
 * (docs/decisions/0121).
 */
export const fanOut = async (deps: WebhookFanOutDeps, event: OutboxEvent): Promise<number> => {
  if (isMemberEvent(event)) return 0;
  let written = 0;
  for (const notice of webhookNotices(event)) {
    const endpoints = (await deps.webhooks.list(notice.orgId)).filter(
      (webhook) => subscribes(webhook, notice.type) && existedAt(webhook, event.at),
    );
    if (endpoints.length === 0) continue;
    const deal = (await deps.deals.get(notice.orgId, notice.dealId, WEBHOOKS_VIEWER))?.deal;
    if (!deal) continue;
    const payload = JSON.stringify({
      type: notice.type,
      timestamp: event.at,
      data: {
        dealId: deal.id,
        engagementId: deal.engagementId,
        orgId: deal.orgId,
        status: deal.status,
        version: deal.version,
        updatedAt: deal.updatedAt,
      },
    });
    const now = deps.clock.now().toISOString();
    for (const webhook of endpoints) {
      const outcome = await deps.webhooks.addDelivery({
        id: event.id,
        webhookId: webhook.id,
        orgId: webhook.orgId,
        eventId: event.id,
        type: notice.type,
        payload,
        attempt: 0,
        status: 'pending',
        createdAt: now,
        at: now,
        dueAt: now,
      });
      if (outcome === 'written') written += 1;
    }
  }
  return written;
};

/**
 * Why an attempt sent nothing: the endpoint's sealed secret does not open for it (altered, or
 * copied from another endpoint). The attempt fails like any other and is retried; a rotation
 * replaces the secret (and the unreadable one, now previous, no longer holds deliveries back).
 */
export const UNREADABLE_SECRET = "The webhook's signing secret could not be read; rotate it.";

/** A stored secret's plaintext, or undefined when its sealed value does not open for this endpoint. */
const openSecret = async (
  deps: WebhookDeliveryDeps,
  stored: StoredSecret,
  binding: SecretBinding,
): Promise<string | undefined> =>
  'plaintext' in stored ? stored.plaintext : deps.sealer.open(stored.sealed, binding);

/** The secrets a delivery at `now` is signed with, opened; undefined when the current one does not open. */
const openSigningSecrets = async (
  deps: WebhookDeliveryDeps,
  webhook: Webhook,
  now: Date,
): Promise<string[] | undefined> => {
  const { current, previous } = signingSecrets(webhook, now);
  const binding = secretBinding(webhook);
  const opened = await openSecret(deps, current, binding);
  if (opened === undefined) return undefined;
  const replaced = previous ? await openSecret(deps, previous, binding) : undefined;
  return replaced === undefined ? [opened] : [opened, replaced];
};

export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed' | 'skipped';

const withoutAttemptFields = (delivery: WebhookDelivery): WebhookDelivery => {
  const { dueAt: _dueAt, error: _error, responseStatus: _status, ...rest } = delivery;
  return rest;
};

/** One attempt of one due delivery (skipped when another worker claimed it first). */
export const attemptDelivery = async (
  deps: WebhookDeliveryDeps,
  delivery: WebhookDelivery,
): Promise<AttemptOutcome> => {
  const leaseUntil = new Date(deps.clock.now().getTime() + CLAIM_LEASE_MS).toISOString();
  const claimed = await deps.webhooks.claim(delivery, leaseUntil);
  if (!claimed) return 'skipped';
  const webhook = await deps.webhooks.get(claimed.orgId, claimed.webhookId);
  if (webhook?.status !== 'active') {
    const at = deps.clock.now().toISOString();
    await deps.webhooks.record(claimed, {
      ...withoutAttemptFields(claimed),
      status: 'failed',
      error: webhook ? 'The webhook is disabled.' : 'The webhook was deleted.',
      at,
    });
    return 'failed';
  }
  const startedAt = deps.clock.now();
  const secrets = await openSigningSecrets(deps, webhook, startedAt);
  const result = secrets
    ? await deps.transport.post(
        webhook.url,
        {
          'content-type': 'application/json',
          ...deps.signer.headers(secrets, claimed.eventId, claimed.payload),
        },
        claimed.payload,
      )
    : { error: UNREADABLE_SECRET };
  const now = deps.clock.now();
  const attempt = claimed.attempt + 1;
  const firstAttemptAt = claimed.firstAttemptAt ?? startedAt.toISOString();
  const tried: WebhookDelivery = {
    ...withoutAttemptFields(claimed),
    attempt,
    firstAttemptAt,
    at: now.toISOString(),
    ...('status' in result ? { responseStatus: result.status } : { error: result.error }),
  };
  if ('status' in result && result.status >= 200 && result.status < 300) {
    await deps.webhooks.record(claimed, { ...tried, status: 'succeeded' });
    return 'succeeded';
  }
  const retryAt = nextAttemptAt(new Date(firstAttemptAt), attempt, now);
  if (retryAt) {
    await deps.webhooks.record(claimed, { ...tried, status: 'pending', dueAt: retryAt.toISOString() });
    return 'retrying';
  }
  if ((await deps.webhooks.record(claimed, { ...tried, status: 'failed' })) === 'written') {
    await disableEndpoint(deps, webhook, now);
  }
  return 'failed';
};

const activeAdmins = async (deps: WebhookDeliveryDeps, orgId: string): Promise<Membership[]> => {
  const admins: Membership[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    const page = await deps.memberships.listByOrg(orgId, { limit: 100, ...(after ? { after } : {}) });
    admins.push(...page.items.filter((m) => m.status === 'active' && m.roles.includes('org-admin')));
    after = page.next;
  } while (after);
  return admins;
};

export const disabledEmail = (to: string, webhook: Webhook, appBaseUrl: string): OutgoingEmail => {
  const lines = [
    'A webhook of your organization was disabled: its deliveries failed for 24 hours.',
    `Endpoint: ${webhook.url}`,
    `Webhook id: ${webhook.id}`,
    'Fix the receiver, then set the webhook active again (PATCH /v1/webhooks/{id} {"status":"active"}) and redeliver what it missed.',
  ];
  return {
    to,
    subject: 'A webhook was disabled after 24 hours of failed deliveries',
    text: [...lines, '', `${appBaseUrl}`, '', '— Co-sell referrals'].join('\n'),
    html: `<!doctype html><html><body>${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</body></html>`,
  };
};

/**
 * Disables the endpoint (conditioned on the version read, so of concurrent givers-up exactly one
 * wins) and tells the org's admins. A send that fails is not retried: the endpoint's status and its
 * failed deliveries say the same to anyone who looks.
 */
const disableEndpoint = async (deps: WebhookDeliveryDeps, webhook: Webhook, now: Date): Promise<void> => {
  const disabled: Webhook = {
    ...webhook,
    status: 'disabled',
    disabledReason: 'Deliveries failed for 24 hours.',
    updatedAt: now.toISOString(),
    version: webhook.version + 1,
  };
  if ((await deps.webhooks.update(disabled)) !== 'written') return;
  for (const admin of await activeAdmins(deps, webhook.orgId)) {
    await deps.mailer.send(disabledEmail(admin.email, webhook, deps.appBaseUrl)).catch(() => undefined);
  }
};

export type WorkSettings = {
  /** Keep taking due deliveries for this long (0: one sweep), then finish what was started. */
  windowMs: number;
  /** The pause between sweeps while the window lasts. */
  pollMs: number;
  /** Endpoints worked at the same time (each one delivery at a time). */
  concurrency: number;
  /** Due deliveries read per sweep. */
  batchSize: number;
};

export type WorkRun = Record<AttemptOutcome, number> & { errors: string[] };

/** Works due deliveries for `settings.windowMs`: one task per endpoint, new endpoints as slots free up. */
export const workDeliveries = async (
  deps: WebhookDeliveryDeps,
  settings: WorkSettings,
  timer: { now: () => number; sleep: (ms: number) => Promise<void> },
  /**
   * Endpoints being attempted by any run of this process, shared by runs that overlap (the local
   * timer starts one every second): an endpoint gets one attempt at a time, and a run never waits
   * for another run's slow endpoint, so one org's endpoint never delays another's deliveries.
   */
  inFlight: Map<string, Promise<void>> = new Map(),
): Promise<WorkRun> => {
  const run: WorkRun = { succeeded: 0, retrying: 0, failed: 0, skipped: 0, errors: [] };
  const started = timer.now();
  const mine = new Set<Promise<void>>();
  for (;;) {
    const due = await deps.webhooks.dueDeliveries(deps.clock.now().toISOString(), settings.batchSize);
    const byEndpoint = new Map<string, WebhookDelivery[]>();
    for (const delivery of due) {
      byEndpoint.set(delivery.webhookId, [...(byEndpoint.get(delivery.webhookId) ?? []), delivery]);
    }
    for (const [webhookId, deliveries] of byEndpoint) {
      if (inFlight.has(webhookId) || mine.size >= settings.concurrency) continue;
      const task: Promise<void> = (async () => {
        for (const delivery of deliveries) run[await attemptDelivery(deps, delivery)] += 1;
      })()
        .catch((error: unknown) => {
          // The claim's lease runs out and the delivery comes due again.
          run.errors.push(error instanceof Error ? error.message : String(error));
        })
        .finally(() => {
          inFlight.delete(webhookId);
          mine.delete(task);
        });
      inFlight.set(webhookId, task);
      mine.add(task);
    }
    if (timer.now() - started >= settings.windowMs) break;
    await Promise.race([timer.sleep(settings.pollMs), ...mine]);
  }
  await Promise.all(mine);
  return run;
};
