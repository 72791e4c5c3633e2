/**
 * Builds a Lambda handler for one HTTP route as a middy pipeline. Every stage is a middleware, in
 * this order (`before` hooks top-down; `after`/`onError` hooks bottom-up):
 *
 *   requestObservability  log keys, one summary line and the route's metric per request
 *   problemDetails        renders any failure below it as problem+json
 *   jsonBody              body limits, media type, JSON parsing → `context.rawBody`
 *   membership            (member routes) the caller's membership → `context.actor`;
 *                         with the items the route `reads` in the same request → `context.deps`;
 *                         or, on a route that reads it itself, as its token claims → `context.claimed`
 *   clientScope           (member routes) an API client holds the scope the route table names
 *   signedIn              (person routes, instead of membership) the token's claims → `context.person`
 *   parseRequest          zod parsing of path, query and body, If-Match, cursors → `context.request`
 *   idempotency           (member routes, POST with Idempotency-Key) claim; or the route's
 *                         `authorize`, then replay or refuse
 *   the route's function  gets `context.request`, returns status, body and headers
 *
 * A route file then only names its schemas and calls its use case. The spec stays on the returned
 * handler (`handler.route`), so the OpenAPI generator documents exactly the schemas that validate.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { withinDeadline } from '../adapters/time-budget.ts';
import { clientScope } from './middleware/client-scope.ts';
import { idempotency } from './middleware/idempotency.ts';
import { jsonBody } from './middleware/json-body.ts';
import { type CallerResolution, membership } from './middleware/membership.ts';
import { requestObservability } from './middleware/observability.ts';
import { parseRequest } from './middleware/parse-request.ts';
import { problemDetails } from './middleware/problem-details.ts';
import { signedIn } from './middleware/signed-in.ts';
import type {
  AnyRouteSpec,
  AuthedRequest,
  HttpEvent,
  HttpResponse,
  HttpResult,
  ParsedRequest,
  PersonRequest,
  RouteContext,
  RouteRequest,
  RouteSpec,
} from './route-context.ts';

export { etag } from './etag.ts';
export type { HttpEvent, HttpResponse, HttpResult, ResponseSpec, RouteSpec } from './route-context.ts';

type Schema = z.ZodType;

/** What a handler carries for the OpenAPI generator. */
export type RouteDescription = {
  /** Must agree with the route table's `auth` (`member` or `person` ⇔ `jwt`). */
  auth: 'member' | 'person' | 'public';
  spec: AnyRouteSpec;
};

const toResponse = (result: HttpResult): HttpResponse => ({
  statusCode: result.status,
  headers: {
    ...(result.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...result.headers,
  },
  ...(result.body === undefined ? {} : { body: JSON.stringify(result.body) }),
});

const parsed = (context: RouteContext): ParsedRequest => {
  if (!context.request) throw new Error('The route ran without the parseRequest stage');
  return context.request;
};

/** API Gateway answers 503 itself after this long, whatever the function's own timeout. */
const INTEGRATION_TIMEOUT_MS = 30_000;

/**
 * Runs a route's pipeline with every SDK call bounded by the invocation's remaining time (or the
 * API's, when shorter), so the function always answers and records the outcome itself.
 */
const bounded = <H extends (event: HttpEvent, context: Context, ...rest: never[]) => Promise<HttpResponse>>(
  handler: H,
): H =>
  ((event: HttpEvent, context: Context, ...rest: never[]) =>
    withinDeadline(
      typeof context?.getRemainingTimeInMillis === 'function'
        ? Date.now() + Math.min(context.getRemainingTimeInMillis(), INTEGRATION_TIMEOUT_MS)
        : undefined,
      () => handler(event, context, ...rest),
    )) as H;

const outerStages = () =>
  middy<HttpEvent, HttpResponse, Error, RouteContext>()
    .use(requestObservability())
    .use(problemDetails())
    .use(jsonBody());

/** A route for a signed-in member of an org. */
export const memberRoute = <
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(
  spec: RouteSpec<B, Q, P>,
  fn: (request: AuthedRequest<B, Q, P>) => Promise<HttpResult>,
  /** How the caller is read: with the items the request names, or by the route (middleware/membership.ts). */
  options: CallerResolution = {},
) => {
  // The stages leave a request of this route's spec (parseRequest) with its caller (membership).
  const run = (request: ParsedRequest) => fn(request as unknown as AuthedRequest<B, Q, P>);
  const route: RouteDescription = { auth: 'member', spec };
  return Object.assign(
    bounded(
      outerStages()
        .use(membership(options))
        .use(clientScope())
        .use(parseRequest(spec))
        .use(
          idempotency({
            ...(spec.authorize
              ? { authorize: (request) => spec.authorize?.(request as unknown as AuthedRequest<B, Q, P>) }
              : {}),
            ...(spec.shownOnce ? { shownOnce: spec.shownOnce } : {}),
          }),
        )
        .handler(async (_event, context) => toResponse(await run(parsed(context)))),
    ),
    { route },
  );
};

/**
 * A route for a signed-in person who need not be a member of any org (their own invitations): the
 * JWT authorizer still guards it, but no membership is read and no Idempotency-Key is kept.
 */
export const personRoute = <
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(
  spec: RouteSpec<B, Q, P>,
  fn: (request: PersonRequest<B, Q, P>) => Promise<HttpResult>,
) => {
  const route: RouteDescription = { auth: 'person', spec };
  return Object.assign(
    outerStages()
      .use(signedIn())
      .use(parseRequest(spec))
      .handler(async (_event, context) => {
        if (!context.person) throw new Error('The route ran without the signedIn stage');
        const request = { ...parsed(context), person: context.person };
        return toResponse(await fn(request as unknown as PersonRequest<B, Q, P>));
      }),
    { route },
  );
};

/** A route without a caller (health, the OpenAPI document). */
export const publicRoute = <
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(
  spec: RouteSpec<B, Q, P>,
  fn: (request: RouteRequest<B, Q, P>) => Promise<HttpResult>,
) => {
  const route: RouteDescription = { auth: 'public', spec };
  return Object.assign(
    outerStages()
      .use(parseRequest(spec))
      .handler(async (_event, context) =>
        toResponse(await fn(parsed(context) as unknown as RouteRequest<B, Q, P>)),
      ),
    { route },
  );
};
