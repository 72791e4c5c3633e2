import type { MiddlewareObj, Request } from '@middy/core';
import type { Actor } from '#domain/actor.ts';
import { logger, recordRouteOutcome, takeDynamoStats } from '../../observability.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';

const startedAt = new WeakMap<object, number>();

/**
 * The org is only known once the route resolves the caller and leaves it on `context.actor`: from
 * then on every log line of the request carries the org id (never the user's sub or email).
 */
const tagOrgWhenKnown = (context: RouteContext): void => {
  let actor: Actor | undefined;
  Object.defineProperty(context, 'actor', {
    configurable: true,
    enumerable: true,
    get: () => actor,
    set: (value: Actor | undefined) => {
      actor = value;
      if (value) logger.appendKeys({ orgId: value.orgId });
    },
  });
};

const finish = (request: Request<HttpEvent, HttpResponse, Error, RouteContext>): void => {
  const status = request.response?.statusCode ?? 500;
  const routeKey = request.event.routeKey;
  recordRouteOutcome(routeKey, status);
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
 * and route key (and the org id when known), counts business outcomes (observability.ts), and logs
 * one summary line with the status, duration and DynamoDB work. It logs no bodies, headers, token
 * claims or anything else that could carry personal data. Used before `problemDetails`, so its
 * error hook sees the problem response that middleware rendered.
 */
export const requestObservability = (): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  before: ({ event, context }) => {
    startedAt.set(context, performance.now());
    takeDynamoStats();
    logger.resetKeys();
    logger.addContext(context);
    logger.appendKeys({ requestId: event.requestContext?.requestId, route: event.routeKey });
    tagOrgWhenKnown(context);
  },
  after: finish,
  onError: finish,
});
