/**
 * Resolves the verified token to a membership: the sub's, or the invitation its verified email claim
 * opens (domain/identity/sign-in.ts). Roles never come from claims. Leaves the caller on
 * `context.actor` and from then on logs with its org.
 *
 * A route that names a deal or a customer (`reads`) gets them in the same read as the membership
 * (`signInFor`: one BatchGetItem), and its use case is handed ports that answer its first read of
 * exactly those items from that result (`prefetchedDeps`), so the request makes one round trip
 * before it decides. Only the first read is answered so: a retried round reads afresh.
 *
 * A route that `presumes` its caller (the list page) gets the membership this process last
 * confirmed for the sub as a presumption, which its use case confirms in its own read
 * (`PresumedCaller`, domain/deals/use-cases/read-deals.ts) and reports back with `confirmCaller`.
 */
import type { MiddlewareObj } from '@middy/core';
import type { CallerRead, CallerReadRequest } from '#domain/deals/ports.ts';
import type { Deps } from '#domain/deps.ts';
import { notAMember, type SignInClaims, signIn, signInFor } from '#domain/identity/sign-in.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { ForbiddenError } from '#domain/kernel/errors.ts';
import { getDeps } from '../../composition/deps.ts';
import { HttpError } from '../http-error.ts';
import type { HttpEvent, HttpResponse, RouteContext } from '../route-context.ts';
import { logWithOrg } from './observability.ts';

/** Which items a request names, from its path parameters and its parsed (not yet validated) body. */
export type CallerReads = (request: {
  params: Record<string, string | undefined>;
  body: unknown;
}) => CallerReadRequest;

/** API Gateway hands every claim on as a string: `email_verified: false` arrives as "false". */
const claimIsFalse = (value: unknown): boolean => value === false || value === 'false';

/** The longest id a route accepts (schemas/common.ts `Id`): anything else is refused by its parsing. */
const MAX_ID_LENGTH = 64;
const plausibleId = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && value.length <= MAX_ID_LENGTH;

/** The ids worth reading: what the route's parsing would reject is not read at all. */
const plausible = (request: CallerReadRequest): CallerReadRequest => ({
  ...(plausibleId(request.dealId) ? { dealId: request.dealId } : {}),
  ...(plausibleId(request.customerId) ? { customerId: request.customerId } : {}),
});

/**
 * The membership each sub was last confirmed with in this process, newest last: what a route that
 * `presumes` its caller reads with. A hint only: the route's own read confirms it (PresumedCaller).
 */
const confirmedCallers = new Map<string, Actor>();
/** Enough for the people one warm function serves; the oldest is dropped first. */
const MAX_CONFIRMED_CALLERS = 1_000;

const remember = (actor: Actor): void => {
  confirmedCallers.delete(actor.sub);
  confirmedCallers.set(actor.sub, actor);
  if (confirmedCallers.size > MAX_CONFIRMED_CALLERS) {
    const [oldest] = confirmedCallers.keys();
    if (oldest !== undefined) confirmedCallers.delete(oldest);
  }
};

/** The route decided on `actor` (a presumed caller confirmed, or the membership found instead). */
export const confirmCaller = (context: RouteContext, actor: Actor): void => {
  context.actor = actor;
  delete context.presumedBy;
  remember(actor);
  logWithOrg(actor);
};

const claimsOf = (event: HttpEvent) => {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const { sub, email } = claims;
  if (typeof sub !== 'string' || sub === '') {
    throw new HttpError(401, 'unauthenticated', 'A valid bearer token is required.');
  }
  return {
    sub,
    ...(typeof email === 'string' && email !== '' ? { email } : {}),
    emailVerified: !claimIsFalse(claims.email_verified),
  };
};

/**
 * The ports with the first read of each prefetched item answered from `read`: the deal (as the
 * store's `get` would answer it for the caller's org) and the customer.
 */
const prefetchedDeps = (deps: Deps, sub: string, request: CallerReadRequest, read: CallerRead): Deps => {
  let dealPending = request.dealId !== undefined;
  let customerPending = request.customerId !== undefined;
  const method = { configurable: true, writable: true };
  const deals: Deps['deals'] = Object.create(deps.deals, {
    get: {
      ...method,
      value: (orgId: string, dealId: string, viewerSub: string) => {
        if (dealPending && dealId === request.dealId && viewerSub === sub) {
          dealPending = false;
          return Promise.resolve(read.deal && read.deal.deal.orgId === orgId ? read.deal : undefined);
        }
        return deps.deals.get(orgId, dealId, viewerSub);
      },
    },
  });
  const customers: Deps['customers'] = Object.create(deps.customers, {
    get: {
      ...method,
      value: (customerId: string) => {
        if (customerPending && customerId === request.customerId) {
          customerPending = false;
          return Promise.resolve(read.customer);
        }
        return deps.customers.get(customerId);
      },
    },
  });
  return { ...deps, deals, customers };
};

const resolve = async (
  claims: SignInClaims,
  event: HttpEvent,
  context: RouteContext,
  reads: CallerReads | undefined,
): Promise<Actor> => {
  const deps = getDeps();
  if (!reads) {
    const actor = await signIn(deps, claims);
    if (!actor) throw notAMember();
    return actor;
  }
  const request = plausible(reads({ params: event.pathParameters ?? {}, body: context.rawBody }));
  const read = await signInFor(deps, claims, request);
  if (!read) throw notAMember();
  if (read.prefetched) context.deps = prefetchedDeps(deps, claims.sub, request, read);
  return read.actor;
};

/**
 * How a route learns its caller: by default read before the route runs (with the items it `reads`,
 * in the same request); with `presumes`, a sub confirmed earlier in this process is handed on as
 * presumed (`context.presumedBy`) and the route's own read confirms it (a list page, whose Query
 * needs the org before anything is read).
 */
export type CallerResolution = { reads?: CallerReads; presumes?: boolean };

export const membership = ({
  reads,
  presumes,
}: CallerResolution = {}): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  before: async ({ event, context }) => {
    // A context object may be reused between invocations: nothing of an earlier request may carry over.
    delete context.deps;
    delete context.presumedBy;
    const claims = claimsOf(event);
    const presumed = presumes ? confirmedCallers.get(claims.sub) : undefined;
    if (presumed) {
      context.actor = presumed;
      context.presumedBy = claims;
      logWithOrg(presumed);
      return;
    }
    confirmCaller(context, await resolve(claims, event, context, reads));
  },
  onError: ({ event, error }) => {
    const sub = event.requestContext.authorizer?.jwt?.claims?.sub;
    if (error instanceof ForbiddenError && error.code === 'not-a-member' && typeof sub === 'string') {
      confirmedCallers.delete(sub);
    }
  },
});

/** The deal a `/v1/deals/{id}…` route names. */
export const dealOfPath: CallerReads = ({ params }) => (params.id ? { dealId: params.id } : {});
