/**
 * Membership administration (api.md "Identity and administration"). Every use case here needs the
 * caller to be its org's `org-admin` (403 otherwise) and only ever touches the caller's own org.
 */
import { type Actor, requireRole } from '../actor.ts';
import { ForbiddenError } from '../errors.ts';
import type { Membership, Role } from '../model.ts';
import type { Deps, Page, PageRequest } from '../ports.ts';
import { checkLocations, checkPerson, checkRoles, FieldErrors, unique } from './validation.ts';

/**
 * listMembers — input: a page request. Output: a page of the caller's org's memberships in `sub` order.
 * Rules: org-admin only.
 */
export const listMembers = async (deps: Deps, actor: Actor, page: PageRequest): Promise<Page<Membership>> => {
  requireRole(actor, 'org-admin');
  return deps.memberships.listByOrg(actor.orgId, page);
};

export type PutMemberInput = { sub: string; email: string; name: string; roles: Role[]; locations: string[] };

/**
 * putMember — adds a member to the caller's org or replaces an existing member's email, name, roles
 * and locations. Output: the stored membership.
 * Rules: org-admin only; at least one role; locations are ISO 3166-1 alpha-2 codes and a
 * `referral-user` needs at least one; a user can never raise its own roles (an admin editing itself
 * may only keep or drop roles: 403 `own-roles`); a sub of another org is ConflictError('already-exists');
 * demoting the org's last org-admin is BusinessRuleError('last-admin') — the store checks it
 * atomically with the write, so two concurrent demotions cannot both pass.
 */
export const putMember = async (deps: Deps, actor: Actor, input: PutMemberInput): Promise<Membership> => {
  requireRole(actor, 'org-admin');
  const roles = unique(input.roles);
  const locations = unique(input.locations);
  const errors = new FieldErrors();
  checkPerson(errors, '', input);
  checkRoles(errors, roles);
  checkLocations(errors, locations);
  if (roles.includes('referral-user') && locations.length === 0) {
    errors.add('locations', 'A referral-user needs at least one location.');
  }
  errors.throwIfAny();

  if (input.sub === actor.sub) {
    const raised = roles.filter((role) => !actor.roles.includes(role));
    if (raised.length > 0) {
      throw new ForbiddenError(
        'own-roles',
        `You cannot give yourself roles you do not hold (${raised.join(', ')}).`,
      );
    }
  }

  const membership: Membership = {
    sub: input.sub,
    email: input.email.trim(),
    name: input.name.trim(),
    orgId: actor.orgId,
    roles,
    locations,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.memberships.put(membership);
  return membership;
};

/**
 * removeMember — input: the member's sub. Output: nothing.
 * Rules: org-admin only; a sub that is not a member of the caller's org is NotFoundError (404, so
 * other orgs' users cannot be probed); removing the last org-admin (oneself included) is
 * BusinessRuleError('last-admin'), checked atomically by the store.
 */
export const removeMember = async (deps: Deps, actor: Actor, input: { sub: string }): Promise<void> => {
  requireRole(actor, 'org-admin');
  await deps.memberships.remove(actor.orgId, input.sub);
};

/** The caller's own view of itself (GET /v1/me): nothing beyond the resolved actor. */
export const getMe = (actor: Actor): Actor => actor;
