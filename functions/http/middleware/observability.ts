import type { MiddlewareObj, Request } from '@middy/core';
import type { Actor } from '#domain/kernel/actor.ts';
import { logger, recordRouteOutcome, takeDynamoStats } from '../../observability.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';
import { routeByKey } from '../routes.ts';
import { onEarlyResponse } from './early-response.ts';
import { REPLAYED_HEADER } from './idempotency.ts';

const startedAt = new WeakMap<object, number>();

/**
 * From the moment the caller is known, every log line of the request carries the caller's org id
 * (never the user's sub or email). Called by the membership stage.
 */
export const logWithOrg = (actor: Actor): void => {
  logger.appendKeys({ orgId: actor.orgId });
};

const finish = (request: Request<HttpEvent, HttpResponse, Error, RouteContext>): void => {
  const status = request.response?.statusCode ?? 500;
  // A replay answers for a fact the first request already counted.
  if (request.response?.headers?.[REPLAYED_HEADER] !== 'true')
    recordRouteOutcome(routeByKey(request.event.routeKey), status);
  const dynamo = takeDynamoStats();
  const orgId = request.context.actor?.orgId;
  const started = startedAt.get(request.context);
  logger.info('request completed', {
    status,
    ...(orgId ? { orgId } : {}),
    ...(started === undefined ? {} : { durationMs: Math.round(performance.now() - started) }),
    dynamodb: {
      calls: dynamo.calls.length,
      commands: dynamo.calls,
      readUnits: dynamo.readUnits,
      writeUnits: dynamo.writeUnits,
      ms: Math.round(dynamo.ms),
    },
  });
};

/**
 * The outermost middleware of every route: gives each log line of the request its API request id
 * and route key (and the org id once `logWithOrg` names it), counts the route's business metric
 * (its route-table entry names it), and logs one summary line with the status, duration and
 * DynamoDB work, also for an early response (`answerEarly`). It logs no bodies, headers, token
 * claims or anything else that could carry personal data. Used before `problemDetails`, so its
 * error hook sees the problem response that middleware rendered.
 */
export const requestObservability = (): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  before: (request) => {
    const { event, context } = request;
    startedAt.set(context, performance.now());
    takeDynamoStats();
    logger.resetKeys();
    logger.addContext(context);
    logger.appendKeys({ requestId: event.requestContext?.requestId, route: event.routeKey });
    onEarlyResponse(request, finish);
  },
  after: finish,
  onError: finish,
});
