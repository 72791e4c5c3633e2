/**
 * tenantContext — what a token says about its holder when it is issued (docs/api.md
 * "Authentication"): the org of the sub's active membership, its roles and locations, so a request
 * knows which org to read before it has read anything.
 *
 * Input: the token's `sub`. Output: the ClaimedMembership, or undefined when the sub is a member of
 * no org (the token is then issued without it, and a request reads the membership first).
 * Rules: a hint only. Every request still confirms the membership in the same read as its items, so
 * a member removed or changed after the token was issued is refused or narrowed on its next request.
 */

import type { Deps } from '../deps.ts';
import type { ClaimedMembership } from '../kernel/actor.ts';

export const tenantContext = async (
  deps: Pick<Deps, 'memberships'>,
  sub: string,
): Promise<ClaimedMembership | undefined> => {
  const member = await deps.memberships.getActor(sub);
  return member && { orgId: member.orgId, roles: member.roles, locations: member.locations };
};
