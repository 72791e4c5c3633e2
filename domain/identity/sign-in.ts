/**
 * signIn — how a verified token becomes a caller (docs/api.md "Identity and administration").
 *
 * Input: the token's `sub`. Output: the Actor its sub is bound to, or undefined: the token belongs
 * to nobody's member (`notAMember`, 403). Signing in never makes anyone a member: a person joins an
 * org only by accepting its invitation (invitations.ts), so no org that names an address first can
 * capture the person behind it. A bound sub is that member, whatever its token's email says now.
 */

import type { CallerRead, CallerReadRequest } from '../deals/ports.ts';
import type { Deps } from '../deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { ForbiddenError } from '../kernel/errors.ts';

/** What a verified token says of the person: its subject, and the email the identity provider vouches for. */
export type SignInClaims = { sub: string; email?: string; emailVerified?: boolean };

/** A verified token whose sub is bound to no membership. */
export const notAMember = () =>
  new ForbiddenError(
    'not-a-member',
    'Your account is not a member of any organization. Accept an invitation to join one.',
  );

export const signIn = (deps: Pick<Deps, 'memberships'>, claims: SignInClaims): Promise<Actor | undefined> =>
  deps.memberships.getActor(claims.sub);

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
): Promise<(CallerRead & { actor: Actor; prefetched: boolean }) | undefined> => {
  const read = await deps.deals.readForCaller(claims.sub, request);
  return read.actor ? { ...read, actor: read.actor, prefetched: true } : undefined;
};
