import type { Deps } from '#domain/ports.ts';
import { logger } from '../../observability.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from '../problem.ts';
import { publicRoute } from '../route.ts';
import { HealthResponse } from '../schemas/operations.ts';

/** 503 as problem details: the table did not answer (the cause is logged, never shown). */
const unavailable = (requestId: string) => ({
  status: 503,
  headers: { 'content-type': PROBLEM_CONTENT_TYPE },
  body: {
    type: `${PROBLEM_TYPE_BASE}unavailable`,
    title: 'Service Unavailable',
    status: 503,
    detail: 'The data store does not answer. Retry later.',
    instance: requestId,
    code: 'unavailable',
  },
});

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

export const handler = publicRoute({ responses: { 200: HealthResponse } }, async ({ deps, requestId }) => {
  const check = tableCheck(deps);
  const failure = await check.failure;
  if (!failure) return { status: 200, body: { status: 'ok' } };
  // Logged once per check, not once per request that reuses it.
  if (check.fresh) logger.error('health check failed', { requestId, error: failure });
  return unavailable(requestId);
});
