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

export const handler = publicRoute({ responses: { 200: HealthResponse } }, async ({ deps, requestId }) => {
  const failure = await deps.orgs.ping().then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (!failure) return { status: 200, body: { status: 'ok' } };
  logger.error('health check failed', { requestId, error: failure });
  return unavailable(requestId);
});
