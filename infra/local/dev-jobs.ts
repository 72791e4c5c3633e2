/**
 * Jobs a person or an e2e test can run on demand with `POST /dev/jobs/{name}`, instead of waiting
 * for their timer. Each later background job adds one entry here, e.g. the invitation expiry job:
 *
 *   { name: 'expire-invitations', run: () => runExpiryHandler(ctx) }
 *
 * where `run` calls the same handler the cloud schedule invokes and returns what it did.
 */
import type { Deps } from '#domain/ports.ts';
import { expiryJob } from './expiry-timer.ts';

export type DevJobContext = { deps: () => Deps; tableName: string; log: (line: string) => void };

export type DevJob = {
  /** The `{name}` in `POST /dev/jobs/{name}`. */
  name: string;
  /** Runs the job once; its result is the response body. */
  run: () => Promise<unknown>;
};

export const devJobs = (_context: DevJobContext): DevJob[] => [expiryJob];
