import type { Deps } from '#domain/deps.ts';
import { logger } from '../../observability.ts';
import { HttpError } from '../http-error.ts';
import { publicRoute } from '../route.ts';
import { HealthResponse } from '../schemas/operations.ts';

/**
 * How long one table check answers `/health` in a warm function. The route is anonymous: without
 * the cache every call on the internet would be a DynamoDB read.
 */
export const HEALTH_CACHE_MS = 10_000;

type Check = { at: number; failure: Promise<Error | undefined> };
let last: Check | undefined;

/**
 * The table check, shared by every request within HEALTH_CACHE_MS (also while it is in flight, so a
 * burst on a cold function reads once). Real time, not the domain clock the local runtime moves; a
 * clock that went back counts as expired.
 */
const tableCheck = (deps: Deps): { failure: Promise<Error | undefined>; fresh: boolean } => {
  const now = Date.now();
  if (last && now >= last.at && now - last.at < HEALTH_CACHE_MS)
    return { failure: last.failure, fresh: false };
  last = {
    at: now,
    failure: deps.orgs.ping().then(
      () => undefined,
      (error: unknown) => error as Error,
    ),
  };
  return { failure: last.failure, fresh: true };
};

export const handler = publicRoute(
  {
    summary: 'Health check',
    description:
      'Public. Answers 200 while the function can reach its table; the answer carries the request id. For load balancers and uptime checks.',
    responses: { 200: HealthResponse },
  },
  async ({ deps, requestId }) => {
    const check = tableCheck(deps);
    const failure = await check.failure;
    if (!failure) return { status: 200, body: { status: 'ok' } };
    // Logged once per check, not once per request that reuses it.
    if (check.fresh) logger.error('health check failed', { requestId, error: failure });
    // The table did not answer: a 503 problem (the cause is logged above, never shown).
    throw new HttpError(503, 'unavailable', 'The data store does not answer. Retry later.');
  },
);
