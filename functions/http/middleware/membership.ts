/**
 * Resolves the verified token to the membership its sub is bound to (domain/identity/sign-in.ts);
 * none is 403 `not-a-member`. Roles never come from claims. Leaves the caller on
 * `context.actor` and from then on logs with its org.
 *
 * A route that names a deal or a customer (`reads`) gets them in the same read as the membership
 * (`signInFor`: one BatchGetItem), and its use case is handed ports that answer its first read of
 * exactly those items from that result (`prefetchedDeps`), so the request makes one round trip
 * before it decides. Only the first read is answered so: a retried round reads afresh.
 *
 * A route that reads its caller with its own first read (`claimed`: the list page, whose Query needs
 * the org before anything is read) gets the membership the token claims (`context.claimed`), which
 * its use case confirms in that read (`ClaimedCaller`, domain/deals/use-cases/read-deals.ts) and
 * names back with `callerDecided`. A token that claims none is resolved here first, as any route.
 */
import type { MiddlewareObj } from '@middy/core';
import type { CallerRead, CallerReadRequest } from '#domain/deals/ports.ts';
import type { Deps } from '#domain/deps.ts';
import { clientSub } from '#domain/identity/api-clients.ts';
import { notAMember, type SignInClaims, signIn, signInFor } from '#domain/identity/sign-in.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { getDeps } from '../../composition/deps.ts';
import { claimedMembership } from '../../triggers/tenant-claims.ts';
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

/** The route decided on `actor` (the claimed membership confirmed, or the one found instead). */
export const callerDecided = (context: RouteContext, actor: Actor): void => {
  context.actor = actor;
  logWithOrg(actor);
};

/** What the authorizer verified (functions/authorizer/authorize.ts): the token's claims, as strings. */
const verifiedClaims = (event: HttpEvent) => event.requestContext.authorizer?.lambda ?? {};

/** Everything the API takes from a verified token, read here only: who it is, and what it claims. */
export const claimsOf = (event: HttpEvent): SignInClaims => {
  const claims = verifiedClaims(event);
  const { sub, email } = claims;
  if (typeof sub !== 'string' || sub === '') {
    throw new HttpError(401, 'unauthenticated', 'A valid bearer token is required.');
  }
  // An API client's access token (the client-credentials grant): the client is its binding or nobody.
  const clientId = claims.token_use === 'access' ? claims.client_id : undefined;
  if (typeof clientId === 'string' && clientId !== '') return { sub: clientSub(clientId), clientId };
  const membership = claimedMembership(claims);
  return {
    sub,
    ...(typeof email === 'string' && email !== '' ? { email } : {}),
    emailVerified: !claimIsFalse(claims.email_verified),
    ...(membership ? { membership } : {}),
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
  context.deps = prefetchedDeps(deps, claims.sub, request, read);
  return read.actor;
};

/**
 * How a route learns its caller: by default read before the route runs (with the items it `reads`,
 * in the same request); with `claimed`, a token that claims a membership hands it on unconfirmed
 * (`context.claimed`) and the route's own read confirms it.
 */
export type CallerResolution = { reads?: CallerReads; claimed?: boolean };

export const membership = ({
  reads,
  claimed,
}: CallerResolution = {}): MiddlewareObj<HttpEvent, HttpResponse, Error, RouteContext> => ({
  before: async ({ event, context }) => {
    // A context object may be reused between invocations: nothing of an earlier request may carry over.
    delete context.deps;
    delete context.actor;
    delete context.claimed;
    const claims = claimsOf(event);
    if (claimed && claims.membership) {
      context.claimed = { ...claims, membership: claims.membership };
      return;
    }
    callerDecided(context, await resolve(claims, event, context, reads));
  },
});

/** The deal a `/v1/deals/{id}…` route names. */
export const dealOfPath: CallerReads = ({ params }) => (params.id ? { dealId: params.id } : {});
