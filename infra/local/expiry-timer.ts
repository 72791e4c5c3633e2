/**
 * The local stand-in for the EventBridge schedule: fires the same expiry handler the cloud schedule
 * invokes, on a timer and on demand (`POST /dev/jobs/expire-invitations`). Runs never overlap.
 */
import type { Context } from 'aws-lambda';
import type { BackgroundTask } from './background.ts';
import type { DevJob } from './dev-jobs.ts';

/** Locally every 30 s by default (the cloud runs every 5 minutes); `EXPIRY_INTERVAL_MS` changes it. */
const intervalMs = (): number => Number(process.env.EXPIRY_INTERVAL_MS ?? 30_000);

let running: Promise<unknown> | undefined;

/** Calls the scheduled handler once, or joins the run already in flight. */
export const runExpiryHandler = async (): Promise<unknown> => {
  if (!running) {
    running = (async () => {
      const { handler } = await import('#functions/scheduled/expire-invitations.ts');
      return handler({ source: 'local.timer' }, { awsRequestId: `local-expiry-${Date.now()}` } as Context);
    })().finally(() => {
      running = undefined;
    });
  }
  return running;
};

export const expiryJob: DevJob = { name: 'expire-invitations', run: runExpiryHandler };

export const expiryTimer: BackgroundTask = {
  name: 'expiry-timer',
  start: async ({ log }) => {
    const timer = setInterval(() => {
      runExpiryHandler().then(
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
