import { ForbiddenError } from './errors.ts';

/**
 * The kinds of org, their extra capabilities and the member roles: who a caller is, which every
 * context decides by.
 */
export const ORG_KINDS = ['partner', 'host'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const CAPABILITIES = ['solution-assessment'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const ROLES = ['org-admin', 'referrals-admin', 'referral-user'] as const;
export type Role = (typeof ROLES)[number];

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

/**
 * What a token says about its holder's membership as it was when the token was issued (the
 * pre-token-generation trigger puts it there): which org to read, and with which scope. A hint,
 * never the authority: a request confirms the membership in its own read.
 */
export type ClaimedMembership = Pick<Actor, 'orgId' | 'roles' | 'locations'>;

export const hasRole = (actor: Pick<Actor, 'roles'>, role: Role): boolean => actor.roles.includes(role);

/** org-admin and referrals-admin see every deal of the org; referral-user only its scoped ones. */
export const seesAllDeals = (actor: Pick<Actor, 'roles'>): boolean =>
  hasRole(actor, 'org-admin') || hasRole(actor, 'referrals-admin');

export const requireRole = (actor: Actor, role: Role): void => {
  if (!hasRole(actor, role)) throw new ForbiddenError('role-required', `This action needs the ${role} role.`);
};

export const requireAnyRole = (actor: Actor): void => {
  if (actor.roles.length === 0) throw new ForbiddenError('role-required', 'Your membership has no role.');
};

export const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
