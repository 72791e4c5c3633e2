/**
 * The local stand-in for the EventBridge schedule: invokes the expiry function (in its worker), on
 * a timer and on demand (`POST /dev/jobs/expire-invitations`). Runs never overlap.
 */
import { EXPIRY_FUNCTION } from '#functions/environment.ts';
import type { BackgroundTask } from './background.ts';
import type { FunctionWorkers } from './functions.ts';

/** Locally every 30 s by default (the cloud runs every 5 minutes); `EXPIRY_INTERVAL_MS` changes it. */
const intervalMs = (): number => Number(process.env.EXPIRY_INTERVAL_MS ?? 30_000);

let running: Promise<unknown> | undefined;

/** Invokes the expiry function once, or joins the run already in flight. */
export const runExpiryFunction = async (functions: FunctionWorkers): Promise<unknown> => {
  running ??= functions.invoke(EXPIRY_FUNCTION, { source: 'local.timer' }).finally(() => {
    running = undefined;
  });
  return running;
};

export const expiryTimer: BackgroundTask = {
  name: 'expiry-timer',
  start: async ({ functions, log }) => {
    const timer = setInterval(() => {
      runExpiryFunction(functions).then(
        (result) => log(`expiry job: ${JSON.stringify(result)}`),
        (error: unknown) => log(`expiry job failed: ${(error as Error).message}`),
      );
    }, intervalMs());
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    };
  },
};
