/**
 * The webhook delivery function (domain/webhooks/dispatch.ts `workDeliveries`): sends due
 * deliveries, first attempts and retries alike. The EventBridge schedule invokes it every minute
 * with `{ sweepSeconds }`: it keeps sweeping for that long, every few seconds, so a new delivery
 * leaves within seconds and the first retry (30 s after a failure) within a minute. Without
 * `sweepSeconds` it sweeps once (the local timer every second, `POST /dev/jobs/deliver-webhooks`).
 * Overlapping runs are safe: each attempt is claimed by a conditional write, and runs in one process
 * never attempt the same endpoint at once nor wait for each other's endpoints. A run with store
 * errors throws after finishing what it started, so the schedule's retry and the error alarm see it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import middy from '@middy/core';
import { workDeliveries } from '#domain/webhooks/dispatch.ts';
import { webhookDeliveryDeps } from '../composition/webhooks.ts';
import { checkDeclaredEnvironment, WEBHOOK_DELIVERY_FUNCTION } from '../environment.ts';
import { logger } from '../observability.ts';

checkDeclaredEnvironment(WEBHOOK_DELIVERY_FUNCTION);

export type DeliverWebhooksEvent = { sweepSeconds?: number };

/** Sweeps while the window lasts; each POST is bounded by the transport's 10 s timeout. */
export const DELIVERY_SETTINGS = { pollMs: 2_000, concurrency: 10, batchSize: 100 } as const;

/** Endpoints in flight in this process, shared by overlapping invocations (the local timer's). */
const inFlight = new Map<string, Promise<void>>();

export const handler = middy().handler(async (input: unknown) => {
  const event = (input ?? {}) as DeliverWebhooksEvent;
  const run = await workDeliveries(
    webhookDeliveryDeps(),
    { ...DELIVERY_SETTINGS, windowMs: Math.max(0, Number(event.sweepSeconds ?? 0)) * 1000 },
    { now: () => performance.now(), sleep: async (ms) => void (await sleep(ms)) },
    inFlight,
  );
  const { errors, ...counts } = run;
  if (errors.length > 0) {
    logger.error('Webhook deliveries failed on the store; their claims run out and they come due again', {
      ...counts,
      errors: errors.slice(0, 5),
    });
    throw new Error(`Webhook delivery run had ${errors.length} store error(s)`);
  }
  if (counts.succeeded + counts.retrying + counts.failed > 0) logger.info('webhook deliveries', counts);
  return counts;
});
