/**
 * signIn — how a verified token becomes a member (docs/api.md "Identity and administration").
 *
 * Input: the token's `sub`, and its `email` and `email_verified` claims. Output: the Actor, or
 * undefined when the token belongs to nobody's member (`notAMember`, 403).
 * Rules: a sub bound to a membership is that member, whatever its token's email says now. An
 * unbound sub joins through an invitation of its token's email (compared case-insensitively),
 * unless `email_verified` is false: an address the identity provider did not verify proves
 * nothing. When several orgs invited the address, the oldest invitation wins (then the lowest org
 * id, so the choice never depends on timing); the others stay `invited`, exactly like an address
 * whose owner never signed in, so no org learns where the person went. The bind is one conditional
 * transaction (the invitation still exists unchanged, the sub is bound nowhere); a request that
 * loses the race to a concurrent request of the same token reads the winner's membership.
 */

import type { CallerRead, CallerReadRequest } from '../deals/ports.ts';
import type { Deps } from '../deps.ts';
import type { Actor, ClaimedMembership } from '../kernel/actor.ts';
import { ForbiddenError } from '../kernel/errors.ts';
import { isEmail, normalizeEmail } from '../kernel/validation.ts';
import { revokedClient } from './api-clients.ts';
import { adminCountChange, subBinding } from './members.ts';
import type { Membership } from './model.ts';

/**
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

/** A binding answers only for the kind of token it was made for: a person's or a client's. */
export const sameKind = (claims: SignInClaims, actor: Actor): boolean =>
  (claims.clientId !== undefined) === (actor.client !== undefined);

/** A verified token that belongs to no member and opens no invitation. */
export const notAMember = () =>
  new ForbiddenError('not-a-member', 'Your account is not a member of any organization.');

// A round is lost only to a concurrent change of the invitation or of this sub; a few suffice.
const MAX_ATTEMPTS = 4;

const oldestFirst = (a: Membership, b: Membership): number =>
  a.invitedAt === b.invitedAt ? (a.orgId < b.orgId ? -1 : 1) : a.invitedAt < b.invitedAt ? -1 : 1;

export const signIn = async (
  deps: Pick<Deps, 'clock' | 'memberships' | 'orgs'>,
  claims: SignInClaims,
): Promise<Actor | undefined> => {
  const member = await deps.memberships.getActor(claims.sub);
  if (claims.clientId !== undefined) {
    if (member && sameKind(claims, member)) return member;
    throw revokedClient();
  }
  if (member) return sameKind(claims, member) ? member : undefined;
  if (claims.email === undefined || claims.emailVerified === false) return undefined;
  const email = normalizeEmail(claims.email);
  if (!isEmail(email)) return undefined;

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const [invitation] = (await deps.memberships.findInvitations(email)).sort(oldestFirst);
    if (!invitation) return undefined;
    const now = deps.clock.now().toISOString();
    const active: Membership = {
      ...invitation,
      status: 'active',
      sub: claims.sub,
      joinedAt: now,
      updatedAt: now,
      version: invitation.version + 1,
    };
    const org = await deps.orgs.get(active.orgId);
    const binding = org && subBinding(active, org);
    const outcome = binding
      ? await deps.memberships.bind(active, binding, adminCountChange(invitation, active))
      : 'stale';
    if (outcome === 'written') return deps.memberships.getActor(claims.sub);
    const winner = await deps.memberships.getActor(claims.sub);
    if (winner) return winner;
  }
  return undefined;
};

/**
 * signIn for a request that names a deal or a customer: the caller's membership and those items come
 * back from one read (`deals.readForCaller`), so a bound member costs one round trip before the use
 * case decides. The membership is read on every request (no cache): a removed member is refused on
 * its very next request. An unbound sub signs in as above; what it named is then read by the use case.
 */
export const signInFor = async (
  deps: Pick<Deps, 'clock' | 'memberships' | 'orgs' | 'deals'>,
  claims: SignInClaims,
  request: CallerReadRequest,
): Promise<(CallerRead & { actor: Actor; prefetched: boolean }) | undefined> => {
  const read = await deps.deals.readForCaller(claims.sub, request);
  if (read.actor && sameKind(claims, read.actor)) return { ...read, actor: read.actor, prefetched: true };
  const actor = await signIn(deps, claims);
  return actor ? { actor, prefetched: false } : undefined;
};
