/**
 * Builds a Lambda handler for one HTTP route as a middy pipeline:
 * problem details ← JSON body limits ← caller's membership ← zod parsing ← idempotency (POST) ←
 * the route's function. A route file then only names its schemas and calls its use case. The spec
 * stays on the returned handler (`handler.route`), so the OpenAPI generator documents exactly the
 * schemas that validate.
 */
import middy from '@middy/core';
import type { z } from 'zod';
import type { Actor } from '#domain/actor.ts';
import { PreconditionFailedError, ValidationError } from '#domain/errors.ts';
import { signIn } from '#domain/identity/sign-in.ts';
import type { Deps, Page, PageKey, PageRequest } from '#domain/ports.ts';
import { getDeps } from '../composition.ts';
import { cursorSecret } from '../config.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { HttpError } from './http-error.ts';
import { checkRouteFor, withoutWrites } from './middleware/authorization-probe.ts';
import { idempotent } from './middleware/idempotency.ts';
import { header, jsonBody } from './middleware/json-body.ts';
import { requestObservability } from './middleware/observability.ts';
import { problemDetails } from './middleware/problem-details.ts';
import { zodFieldErrors } from './problem.ts';
import type { HttpEvent, HttpResponse, RouteContext } from './route-context.ts';

export { etag } from './etag.ts';
export type { HttpEvent, HttpResponse };

export type HttpResult = { status: number; body?: unknown; headers?: Record<string, string> };

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Success responses by status: the body's schema, or `null` for none (204). Errors are problem+json. */
export type ResponseSpec = Readonly<Record<number, z.ZodType | null>>;

export type RouteSpec<
  B extends Schema | undefined,
  Q extends Schema | undefined,
  P extends Schema | undefined,
> = {
  body?: B;
  query?: Q;
  params?: P;
  /** What the route answers when it succeeds; the OpenAPI document adds the problem responses. */
  responses?: ResponseSpec;
  /** One line for the OpenAPI document. */
  summary?: string;
};

/** What a handler carries for the OpenAPI generator. */
export type RouteDescription = {
  auth: 'member' | 'public';
  spec: RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined>;
};

export type RouteRequest<B, Q, P> = {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  deps: Deps;
  requestId: string;
  /** The version named by If-Match, if the client sent one (`*` counts as none). */
  ifMatch: number | undefined;
  /** The page the client asked for; the cursor is checked against this route, caller and query. */
  page: (limit: number, cursor: string | undefined) => PageRequest;
  /** Renders a page as `{ items, nextCursor }` with a cursor bound to this route, caller and query. */
  pageBody: <T, V>(page: Page<T>, view: (item: T) => V) => { items: V[]; nextCursor: string | null };
};

export type AuthedRequest<B, Q, P> = RouteRequest<B, Q, P> & { actor: Actor };

const parsePart = <S extends Schema | undefined>(
  schema: S | undefined,
  value: unknown,
  prefix: string,
): Out<S> => {
  if (!schema) return undefined as Out<S>;
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(zodFieldErrors(result.error, prefix));
  return result.data as Out<S>;
};

const parseIfMatch = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(value);
  if (!match) throw new PreconditionFailedError('If-Match must be an ETag returned by this API.');
  return Number(match[1]);
};

/**
 * What a cursor is valid for: the route, its path parameters (a history cursor names one deal's
 * partition), the caller's org and user (a member who moved org must not replay a start key of the
 * old org's partition) and the query. A start key outside any of these is a DynamoDB validation
 * error, so each must be part of the signed binding for every misuse to be a 400.
 */
const cursorBinding = (event: HttpEvent, context: RouteContext, who: string): string => {
  const sorted = (values: Record<string, string | undefined> | undefined, skip: string[] = []) =>
    Object.entries(values ?? {})
      .filter(([key]) => !skip.includes(key))
      .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([
    event.routeKey,
    sorted(event.pathParameters),
    context.actor ? [context.actor.orgId, who] : who,
    sorted(event.queryStringParameters, ['cursor', 'limit']),
  ]);
};

const toResponse = (result: HttpResult): HttpResponse => ({
  statusCode: result.status,
  headers: {
    ...(result.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...result.headers,
  },
  ...(result.body === undefined ? {} : { body: JSON.stringify(result.body) }),
});

const buildRequest = <
  B extends Schema | undefined,
  Q extends Schema | undefined,
  P extends Schema | undefined,
>(
  spec: RouteSpec<B, Q, P>,
  event: HttpEvent,
  context: RouteContext,
  who: string,
): RouteRequest<B, Q, P> => {
  const binding = cursorBinding(event, context, who);
  return {
    body: parsePart<B>(spec.body, context.rawBody, ''),
    query: parsePart<Q>(spec.query, event.queryStringParameters ?? {}, 'query'),
    params: parsePart<P>(spec.params, event.pathParameters ?? {}, 'path'),
    deps: getDeps(),
    requestId: event.requestContext.requestId,
    ifMatch: parseIfMatch(header(event, 'if-match')),
    page: (limit, cursor) => ({
      limit,
      ...(cursor ? { after: decodeCursor(cursorSecret(), cursor, binding) } : {}),
    }),
    pageBody: (page, view) => ({
      items: page.items.map(view),
      nextCursor: page.next ? encodeCursor(cursorSecret(), page.next as PageKey, binding) : null,
    }),
  };
};

/** API Gateway hands every claim on as a string: `email_verified: false` arrives as "false". */
const claimIsFalse = (value: unknown): boolean => value === false || value === 'false';

/**
 * Resolves the verified token to a membership: the sub's, or the invitation its verified email
 * claim opens (domain/identity/sign-in.ts). Roles never come from claims.
 */
const resolveActor = async (event: HttpEvent): Promise<Actor> => {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const { sub, email } = claims;
  if (typeof sub !== 'string' || sub === '') {
    throw new HttpError(401, 'unauthenticated', 'A valid bearer token is required.');
  }
  const actor = await signIn(getDeps(), {
    sub,
    ...(typeof email === 'string' && email !== '' ? { email } : {}),
    emailVerified: !claimIsFalse(claims.email_verified),
  });
  if (!actor) throw new HttpError(403, 'not-a-member', 'Your account is not a member of any organization.');
  return actor;
};

const pipeline = (
  route: RouteDescription,
  core: (event: HttpEvent, context: RouteContext) => Promise<HttpResponse>,
) =>
  Object.assign(
    middy<HttpEvent, HttpResponse, Error, RouteContext>()
      .use(requestObservability())
      .use(problemDetails())
      .use(jsonBody())
      .handler(core),
    { route },
  );

/** A route for a signed-in member of an org. */
export const memberRoute = <
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(
  spec: RouteSpec<B, Q, P>,
  fn: (request: AuthedRequest<B, Q, P>) => Promise<HttpResult>,
) =>
  pipeline({ auth: 'member', spec }, async (event, context) => {
    const actor = await resolveActor(event);
    context.actor = actor;
    const request = { ...buildRequest(spec, event, context, actor.sub), actor };
    const scope = {
      orgId: actor.orgId,
      sub: actor.sub,
      now: request.deps.clock.now(),
      body: context.rawBody,
    };
    return idempotent(event, scope, {
      run: async () => toResponse(await fn(request)),
      check: () => checkRouteFor(() => fn({ ...request, deps: withoutWrites(request.deps) })),
    });
  });

/** A route without a caller (health, the OpenAPI document). */
export const publicRoute = <
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(
  spec: RouteSpec<B, Q, P>,
  fn: (request: RouteRequest<B, Q, P>) => Promise<HttpResult>,
) =>
  pipeline({ auth: 'public', spec }, async (event, context) =>
    toResponse(await fn(buildRequest(spec, event, context, 'public'))),
  );
