/**
 * Membership administration (docs/api.md "Identity and administration"). An org-admin invites an
 * email address; the person behind it becomes the member only by accepting the invitation
 * (invitations.ts). Every use case here needs the caller to be its org's `org-admin` (403 otherwise),
 * only ever touches the caller's own org, and addresses members by email: a member of another org
 * and an address nobody uses give the same answers.
 */

import { releaseOwnedDeals } from '../deals/use-cases/owner.ts';
import type { Deps } from '../deps.ts';
import type { Role } from '../kernel/actor.ts';
import { type Actor, requireRole } from '../kernel/actor.ts';
import { BusinessRuleError, ConflictError, ForbiddenError, NotFoundError } from '../kernel/errors.ts';
import type { Page, PageRequest } from '../kernel/page.ts';
import {
  checkLocations,
  checkPerson,
  checkRoles,
  FieldErrors,
  normalizeEmail,
  unique,
} from '../kernel/validation.ts';
import { invitationEmail } from './invitation-email.ts';
import type { Membership, Organization } from './model.ts';
import type { AdminCountChange, MemberWriteOutcome } from './ports.ts';

// Each round re-reads the member; only a concurrent change of the same member makes another round.
const MAX_ATTEMPTS = 8;

/** Only active org-admins count: an invitation nobody accepts must never be an org's last admin. */
const countsAsAdmin = (member: Membership | undefined): boolean =>
  member?.status === 'active' && member.roles.includes('org-admin');

/** How a change from `before` to `after` moves the org's count of active org-admins. */
export const adminCountChange = (
  before: Membership | undefined,
  after: Membership | undefined,
): AdminCountChange => (Number(countsAsAdmin(after)) - Number(countsAsAdmin(before))) as AdminCountChange;

/**
 * What an active member's sub resolves to on every request (`getActor`): the member joined with a
 * copy of its org. Only an active member has one; an invitation's sub is bound nowhere.
 */
export const subBinding = (member: Membership, org: Organization): Actor | undefined =>
  member.status === 'active' && member.sub !== undefined
    ? {
        sub: member.sub,
        email: member.email,
        name: member.name,
        orgId: member.orgId,
        orgName: org.name,
        orgKind: org.kind,
        capabilities: org.capabilities,
        roles: member.roles,
        locations: member.locations,
      }
    : undefined;

const lastAdmin = () =>
  new BusinessRuleError(
    'last-admin',
    'The organization must keep at least one active org-admin; appoint another first.',
  );

/** The same 404 whether the address is unused, invited elsewhere or a member of another org. */
const noSuchMember = () => new NotFoundError('Member');

const checkScope = (errors: FieldErrors, roles: readonly Role[], locations: readonly string[]): void => {
  checkRoles(errors, roles);
  checkLocations(errors, locations);
  if (roles.includes('referral-user') && locations.length === 0) {
    errors.add('locations', 'A referral-user needs at least one location.');
  }
};

/** Runs one read-decide-write round until the write lands or a rule refuses it. */
const untilWritten = async <T>(
  round: () => Promise<{ outcome: MemberWriteOutcome; result: T }>,
): Promise<T> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const { outcome, result } = await round();
    if (outcome === 'written') return result;
    if (outcome === 'last-admin') throw lastAdmin();
  }
  throw new ConflictError('concurrent-update', 'Too many concurrent changes of this member; retry.');
};

/**
 * listMembers — input: a page request. Output: a page of the caller's org's members (invited,
 * active and declined, each with its status) in email order.
 * Rules: org-admin only.
 */
export const listMembers = async (
  deps: Deps,
  actor: Actor,
  command: { page: PageRequest },
): Promise<Page<Membership>> => {
  requireRole(actor, 'org-admin');
  return deps.memberships.listByOrg(actor.orgId, command.page);
};

export type InviteMemberInput = { email: string; name: string; roles: Role[]; locations: string[] };

/** Who may invite: the org's admins (403 otherwise). */
export const authorizeInviteMember = (actor: Actor): void => requireRole(actor, 'org-admin');

/**
 * inviteMember — names a person who may join the caller's org. Output: the invitation (status
 * `invited`).
 * Rules: org-admin only; at least one role; locations are ISO 3166-1 alpha-2 codes and a
 * `referral-user` needs at least one; an address already invited to or a member of the caller's
 * own org is ConflictError('already-exists'). Whether the address is invited to or a member of
 * another org changes nothing: the invitation is made and answered alike. The address is emailed
 * (a `member.invited` outbox event in the same write), at most once an hour per org
 * (invitation-email.ts).
 */
export const inviteMember = async (
  deps: Deps,
  actor: Actor,
  input: InviteMemberInput,
): Promise<Membership> => {
  authorizeInviteMember(actor);
  const roles = unique(input.roles);
  const locations = unique(input.locations);
  const errors = new FieldErrors();
  checkPerson(errors, '', input);
  checkScope(errors, roles, locations);
  errors.throwIfAny();

  const now = deps.clock.now().toISOString();
  const invitation: Membership = {
    email: normalizeEmail(input.email),
    orgId: actor.orgId,
    name: input.name.trim(),
    roles,
    locations,
    status: 'invited',
    invitedAt: now,
    updatedAt: now,
    version: 1,
  };
  // Before the write, so a failure leaves nothing behind and the admin's retry starts afresh; a
  // sign-in without an invitation makes nobody a member (docs/decisions/0123).
  await deps.identityProvider.ensureUser(invitation.email, invitation.name);
  // Each round re-reads the address's email mark; only a concurrent invitation of it makes another.
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const mark = await deps.memberships.getInvitationEmailMark(invitation.orgId, invitation.email);
    const email = invitationEmail(mark, invitation, actor, new Date(now), deps.ids);
    const outcome = await deps.memberships.invite(invitation, email);
    if (outcome === 'written') return invitation;
    if (outcome === 'exists') {
      throw new ConflictError(
        'already-exists',
        'This address is already invited to or a member of your organization.',
      );
    }
  }
  throw new ConflictError('concurrent-update', 'Too many concurrent invitations of this address; retry.');
};

export type UpdateMemberInput = { email: string; roles?: Role[]; locations?: string[] };

/**
 * updateMember — input: the member's email and new roles and/or locations. Output: the stored member.
 * The deals the member owns are left unowned (deals/use-cases/owner.ts `releaseOwnedDeals`).
 * Rules: org-admin only; an email that is not a member of the caller's org is NotFoundError; the
 * resulting scope follows inviteMember's rules; nobody raises its own roles (403 `own-roles`); a
 * change that leaves the org without an active org-admin is BusinessRuleError('last-admin'), checked
 * atomically with the write, so two concurrent demotions cannot both pass.
 */
export const updateMember = async (
  deps: Deps,
  actor: Actor,
  input: UpdateMemberInput,
): Promise<Membership> => {
  requireRole(actor, 'org-admin');
  const key = normalizeEmail(input.email);
  return untilWritten(async () => {
    const current = await deps.memberships.get(actor.orgId, key);
    if (!current) throw noSuchMember();
    const roles = unique(input.roles ?? current.roles);
    const locations = unique(input.locations ?? current.locations);
    const errors = new FieldErrors();
    checkScope(errors, roles, locations);
    errors.throwIfAny();
    if (current.sub === actor.sub) {
      const raised = roles.filter((role) => !actor.roles.includes(role));
      if (raised.length > 0) {
        throw new ForbiddenError(
          'own-roles',
          `You cannot give yourself roles you do not hold (${raised.join(', ')}).`,
        );
      }
    }
    const next: Membership = {
      ...current,
      roles,
      locations,
      updatedAt: deps.clock.now().toISOString(),
      version: current.version + 1,
    };
    const org = next.status === 'active' ? await deps.orgs.get(next.orgId) : undefined;
    if (next.status === 'active' && !org) return { outcome: 'stale' as const, result: next };
    const binding = org && subBinding(next, org);
    return {
      outcome: await deps.memberships.update(next, binding, adminCountChange(current, next)),
      result: next,
    };
  });
};

const activeAdmins = async (deps: Deps, orgId: string): Promise<number> => {
  let count = 0;
  let after: Record<string, unknown> | undefined;
  do {
    const page = await deps.memberships.listByOrg(orgId, { limit: 100, ...(after ? { after } : {}) });
    count += page.items.filter(countsAsAdmin).length;
    after = page.next;
  } while (after);
  return count;
};

/**
 * removeMember — input: the member's email. Output: nothing. From then on the person is no member:
 * the next request of its token is 403 `not-a-member`; the person may then accept another org's
 * invitation. Removing a `declined` invitation frees the address to be invited again. Removing an
 * active member then signs the person out everywhere at the identity provider and, unless another
 * org's invitation is pending for the address, disables its sign-in (a new invitation enables it).
 * The table write comes first and decides; the identity provider's calls follow it.
 * The deals the member owns are left unowned (deals/use-cases/owner.ts `releaseOwnedDeals`).
 * Rules: org-admin only; an email that is not a member of the caller's org is NotFoundError;
 * removing the last active org-admin (oneself included) is BusinessRuleError('last-admin'), checked
 * atomically by the store.
 */
export const removeMember = async (deps: Deps, actor: Actor, command: { email: string }): Promise<void> => {
  requireRole(actor, 'org-admin');
  const key = normalizeEmail(command.email);
  const member = await deps.memberships.get(actor.orgId, key);
  if (!member) throw noSuchMember();
  // The last admin is refused before its deals are released, which would not be undone; the store
  // still decides a race between two removals.
  if (countsAsAdmin(member) && (await activeAdmins(deps, actor.orgId)) <= 1) throw lastAdmin();
  // A removed member owns nothing: its deals are released before the removal, so no read shows it
  // as an owner, and once more after it for an assignment that raced the first pass (an
  // assignment's write is conditioned on the membership, so none can land after the removal).
  await releaseOwnedDeals(deps, actor, key);
  const removed = await untilWritten(async () => {
    const current = await deps.memberships.get(actor.orgId, key);
    if (!current) throw noSuchMember();
    const boundSub = current.status === 'active' ? current.sub : undefined;
    return {
      outcome: await deps.memberships.remove(current, boundSub, adminCountChange(current, undefined)),
      result: current,
    };
  });
  await releaseOwnedDeals(deps, actor, key);
  // Only a member had sessions of this org; an invitation's address may be another org's member.
  if (removed.status !== 'active') return;
  await deps.identityProvider.signOutEverywhere(key);
  // Another org's pending offer needs a sign-in to be accepted, so it keeps the user enabled.
  if ((await deps.memberships.findInvitations(key)).length === 0) {
    await deps.identityProvider.disable(key);
  }
};

/** The caller's own view of itself (GET /v1/me): nothing beyond the resolved actor. */
export const getMe = (actor: Actor): Actor => actor;
