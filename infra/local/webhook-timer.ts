/**
 * The local stand-in for the webhook delivery schedule: invokes the delivery function (in its
 * worker) for one sweep every second, and on demand (`POST /dev/jobs/deliver-webhooks`), so a
 * delivery leaves within a second or two and a retry as soon as the domain clock makes it due
 * (`POST /dev/clock` moves it). The cloud's schedule instead invokes it every minute for a
 * 50-second sweep. A sweep starts every second even while an earlier one still waits on a slow
 * endpoint: the function skips endpoints in flight, so a slow endpoint never holds back another's.
 */
import { WEBHOOK_DELIVERY_FUNCTION } from '#functions/environment.ts';
import type { BackgroundTask } from './background.ts';
import type { FunctionWorkers } from './functions.ts';

/** `WEBHOOK_DELIVERY_INTERVAL_MS` changes it. */
const intervalMs = (): number => Number(process.env.WEBHOOK_DELIVERY_INTERVAL_MS ?? 1_000);

const running = new Set<Promise<unknown>>();

/** Invokes the delivery function for one sweep; resolves with what that sweep did. */
const startSweep = (functions: FunctionWorkers): Promise<unknown> => {
  const sweep: Promise<unknown> = functions.invoke(WEBHOOK_DELIVERY_FUNCTION, {}).finally(() => {
    running.delete(sweep);
  });
  running.add(sweep);
  return sweep;
};

/**
 * On demand (`POST /dev/jobs/deliver-webhooks`): one sweep, answered once every sweep in flight has
 * finished too, so whatever was due when it was asked has been attempted.
 */
export const runWebhookDeliveries = async (functions: FunctionWorkers): Promise<unknown> => {
  const sweep = startSweep(functions);
  await Promise.allSettled([...running]);
  return sweep;
};

export const webhookTimer: BackgroundTask = {
  name: 'webhook delivery timer',
  start: async ({ functions, log }) => {
    let last = '';
    const timer = setInterval(() => {
      startSweep(functions).then(
        (result) => {
          // Only sweeps that did something are worth a line.
          const line = JSON.stringify(result);
          if (line !== last && !/^\{"succeeded":0,"retrying":0,"failed":0,"skipped":0\}$/.test(line)) {
            log(`webhook deliveries: ${line}`);
          }
          last = line;
        },
        (error: unknown) => log(`webhook deliveries failed: ${(error as Error).message}`),
      );
    }, intervalMs());
    timer.unref();
    return async () => {
      clearInterval(timer);
      await Promise.allSettled([...running]);
    };
  },
};
