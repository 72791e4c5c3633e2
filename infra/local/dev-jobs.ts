/**
 * Jobs a person or an e2e test can run on demand with `POST /dev/jobs/{name}`, instead of waiting
 * for their timer. Each `run` invokes the same function the cloud invokes and returns what it did.
 */
import { runExpiryFunction } from './expiry-timer.ts';
import type { FunctionWorkers } from './functions.ts';
import { runWebhookDeliveries } from './webhook-timer.ts';

export type DevJobContext = { functions: FunctionWorkers };

export type DevJob = {
  /** The `{name}` in `POST /dev/jobs/{name}`. */
  name: string;
  /** Runs the job once; its result is the response body. */
  run: () => Promise<unknown>;
};

export const devJobs = (context: DevJobContext): DevJob[] => [
  { name: 'expire-invitations', run: () => runExpiryFunction(context.functions) },
  { name: 'deliver-webhooks', run: () => runWebhookDeliveries(context.functions) },
];
