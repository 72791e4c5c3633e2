/**
 * signIn — how a verified token becomes a caller (docs/api.md "Identity and administration").
 *
 * Input: the token's `sub` (and, for an API client's token, its client id). Output: the Actor its
 * sub is bound to, or undefined: the token belongs to nobody's member (`notAMember`, 403). Signing
 * in never makes anyone a member: a person joins an org only by accepting its invitation
 * (invitations.ts), so no org that names an address first can capture the person behind it. A bound
 * sub is that member, whatever its token's email says now. A client is its binding or nobody: a
 * client token without one was revoked (401).
 */

import type { CallerRead, CallerReadRequest } from '../deals/ports.ts';
import type { Deps } from '../deps.ts';
import type { Actor, ClaimedMembership } from '../kernel/actor.ts';
import { ForbiddenError } from '../kernel/errors.ts';
import { revokedClient } from './api-clients.ts';

/**
 * What a verified token says: who it is, and the membership it claims (which only chooses the org a
 * list reads: signing in never trusts it). `clientId` is set for an API client's token, whose `sub`
 * is then the client's (`clientSub`): a client is its binding or nobody, and never signs in by email.
 */
export type SignInClaims = {
  sub: string;
  email?: string;
  emailVerified?: boolean;
  clientId?: string;
  membership?: ClaimedMembership;
};

/** A verified token whose sub is bound to no membership. */
export const notAMember = () =>
  new ForbiddenError(
    'not-a-member',
    'Your account is not a member of any organization. Accept an invitation to join one.',
  );

/** A binding answers only for the kind of token it was made for: a person's or a client's. */
export const sameKind = (claims: SignInClaims, actor: Actor): boolean =>
  (claims.clientId !== undefined) === (actor.client !== undefined);

/** The caller a binding read for `claims` makes: the bound actor, nobody, or a revoked client. */
const callerOf = (claims: SignInClaims, bound: Actor | undefined): Actor | undefined => {
  if (bound && sameKind(claims, bound)) return bound;
  if (claims.clientId !== undefined) throw revokedClient();
  return undefined;
};

export const signIn = async (
  deps: Pick<Deps, 'memberships'>,
  claims: SignInClaims,
): Promise<Actor | undefined> => callerOf(claims, await deps.memberships.getActor(claims.sub));

/**
 * signIn for a request that names a deal or a customer: the caller's membership and those items come
 * back from one read (`deals.readForCaller`), so a member costs one round trip before the use case
 * decides. The membership is read on every request (no cache): a removed member is refused on its
 * very next request.
 */
export const signInFor = async (
  deps: Pick<Deps, 'deals'>,
  claims: SignInClaims,
  request: CallerReadRequest,
): Promise<(CallerRead & { actor: Actor }) | undefined> => {
  const read = await deps.deals.readForCaller(claims.sub, request);
  const actor = callerOf(claims, read.actor);
  return actor ? { ...read, actor } : undefined;
};
