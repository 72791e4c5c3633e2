/**
 * Validates the path, query and body against the route's zod schemas (400 with one entry per
 * field), reads `If-Match`, binds cursors to this route, caller and query, and leaves the request
 * the route's function receives on `context.request`.
 */
import type { MiddlewareObj } from '@middy/core';
import type { z } from 'zod';
import type { Actor } from '#domain/kernel/actor.ts';
import { PreconditionFailedError, ValidationError } from '#domain/kernel/errors.ts';
import type { PageKey } from '#domain/kernel/page.ts';
import { getDeps } from '../../composition/deps.ts';
import { type CursorKeys, cursorKeys } from '../../config.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { header } from '../headers.ts';
import { HttpError } from '../http-error.ts';
import { issueSentence, zodFieldErrors } from '../problem.ts';
import type { AnyRouteSpec, HttpEvent, HttpResponse, ParsedRequest, RouteContext } from '../route-context.ts';
import { ROUTES, routeKey } from '../routes.ts';
import { callerDecided } from './membership.ts';

const parsePart = (schema: z.ZodType | undefined, value: unknown, prefix: string): unknown => {
  if (!schema) return undefined;
  const result = schema.safeParse(value, { error: issueSentence });
  if (!result.success) throw new ValidationError(zodFieldErrors(result.error, prefix));
  return result.data;
};

/** No body, or an empty object (some clients send `{}` on every write): it names no field. */
const isNone = (body: unknown): boolean =>
  body !== null && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0;

/** The body by the route's schema; a route that takes none refuses any that says something (400). */
const parseBody = (spec: AnyRouteSpec, body: unknown): unknown => {
  if (spec.body) return parsePart(spec.body, body, '');
  if (!isNone(body))
    throw new HttpError(400, 'body-not-allowed', 'This request takes no body; send it without one.');
  return undefined;
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
const cursorBinding = (event: HttpEvent, actor: Pick<Actor, 'orgId' | 'sub'> | undefined): string => {
  const sorted = (values: Record<string, string | undefined> | undefined, skip: string[] = []) =>
    Object.entries(values ?? {})
      .filter(([key]) => !skip.includes(key))
      .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([
    event.routeKey,
    sorted(event.pathParameters),
    actor ? [actor.orgId, actor.sub] : 'public',
    sorted(event.queryStringParameters, ['cursor', 'limit']),
  ]);
};

/** The caller's part of a request: as its token claims it, or as read (middleware/membership.ts). */
const callerOf = (context: RouteContext): Partial<ParsedRequest> => {
  const { actor, claimed } = context;
  const callerDecidedHere = (decided: Actor) => callerDecided(context, decided);
  if (claimed) return { caller: { claims: claimed }, callerDecided: callerDecidedHere };
  if (!actor) return {};
  return { actor, caller: actor, callerDecided: callerDecidedHere };
};

/**
 * Cursors are bound to the caller the route decided on: read when a page is asked for or rendered,
 * since a route that read its caller itself may have found another one than its token claims.
 */
const buildRequest = (
  spec: AnyRouteSpec,
  event: HttpEvent,
  context: RouteContext,
  keys: CursorKeys | undefined,
): ParsedRequest => {
  const claimed = context.claimed && { sub: context.claimed.sub, orgId: context.claimed.membership.orgId };
  const binding = (actor: Pick<Actor, 'orgId' | 'sub'> | undefined = context.actor ?? claimed) =>
    cursorBinding(event, actor);
  const cursorKeysOfRoute = (): CursorKeys => {
    if (!keys) throw new Error(`${event.routeKey} pages but is not marked \`cursors\` in the route table`);
    return keys;
  };
  return {
    body: parseBody(spec, context.rawBody),
    query: parsePart(spec.query, event.queryStringParameters ?? {}, 'query'),
    params: parsePart(spec.params, event.pathParameters ?? {}, 'path'),
    deps: context.deps ?? getDeps(),
    requestId: event.requestContext.requestId,
    ifMatch: parseIfMatch(header(event, 'if-match')),
    page: (limit, cursor, actor) => ({
      limit,
      ...(cursor ? { after: decodeCursor(cursorKeysOfRoute(), cursor, binding(actor)) } : {}),
    }),
    pageBody: (page, view) => ({
      items: page.items.map(view),
      nextCursor: page.next ? encodeCursor(cursorKeysOfRoute(), page.next as PageKey, binding()) : null,
    }),
    ...callerOf(context),
  };
};

const PAGING_ROUTES: ReadonlySet<string> = new Set(
  ROUTES.filter((route) => route.cursors).map((route) => routeKey(route)),
);

export const parseRequest = (
  spec: AnyRouteSpec,
): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  before: async ({ event, context }) => {
    // Only paging routes read the keys (a cached Secrets Manager read), before the handler needs them.
    const keys = PAGING_ROUTES.has(event.routeKey) ? await cursorKeys() : undefined;
    const request = buildRequest(spec, event, context, keys);
    // A route that reads its caller itself has no actor until it decided one: reading it is a bug.
    if (context.claimed)
      Object.defineProperty(request, 'actor', {
        get: () => {
          throw new Error('This route reads its caller itself: use `caller`, then `callerDecided`.');
        },
      });
    context.request = request;
  },
});
