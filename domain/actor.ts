import { ForbiddenError } from './errors.ts';
import type { Capability, Deal, OrgKind, Role } from './model.ts';

/**
 * The signed-in caller as the use cases see it: identity from the verified token, org and roles
 * from the stored membership (never from token claims).
 */
export type Actor = {
  sub: string;
  email: string;
  name: string;
  orgId: string;
  orgName: string;
  orgKind: OrgKind;
  capabilities: Capability[];
  roles: Role[];
  locations: string[];
  /**
   * The version of the stored membership this caller was read from (set by the store): a write
   * decided on this caller is conditioned on the membership still being at it, so a member removed
   * or changed meanwhile cannot complete it.
   */
  membershipVersion?: number;
};

export const hasRole = (actor: Actor, role: Role): boolean => actor.roles.includes(role);

/** org-admin and referrals-admin see every deal of the org; referral-user only its scoped ones. */
export const seesAllDeals = (actor: Actor): boolean =>
  hasRole(actor, 'org-admin') || hasRole(actor, 'referrals-admin');

export const requireRole = (actor: Actor, role: Role): void => {
  if (!hasRole(actor, role)) throw new ForbiddenError('role-required', `This action needs the ${role} role.`);
};

export const requireAnyRole = (actor: Actor): void => {
  if (actor.roles.length === 0) throw new ForbiddenError('role-required', 'Your membership has no role.');
};

export const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * docs/domain.md §5: a referral-user sees a deal of its own org only when the deal's location is one
 * of its locations and it is on the deal's team (matched by email).
 */
export const canSeeDeal = (
  actor: Actor,
  deal: Pick<Deal, 'orgId' | 'location' | 'team' | 'status'>,
): boolean => {
  if (deal.orgId !== actor.orgId) return false;
  if (seesAllDeals(actor)) return true;
  if (!hasRole(actor, 'referral-user')) return false;
  // An unanswered invitation has no team yet: everyone of its location may see it and answer it.
  if (deal.status === 'received') return actor.locations.includes(deal.location);
  return (
    actor.locations.includes(deal.location) &&
    deal.team.some((member) => sameEmail(member.email, actor.email))
  );
};
