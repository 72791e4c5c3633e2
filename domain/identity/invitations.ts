/**
 * A person's invitations (docs/api.md "Joining an organization"). An invitation is an offer: the
 * person signed in with the invited address sees every org that invited it and chooses one, or
 * none. Nothing here needs a membership; the caller is a `Person`, what a verified token says.
 *
 * Rules: only an address the identity provider verified opens invitations (an unverified one sees
 * none and accepts none). A person belongs to one org: accepting while bound to another is
 * ConflictError('already-a-member'); accepting the org one already belongs to answers that
 * membership again (a retried accept succeeds). An invitation that is not `invited` (accepted by
 * another account, declined, removed) is NotFoundError. Declining leaves the invitation `declined`:
 * the inviting org sees that the person refused, and may remove it to invite again. Nobody but the
 * person decides, and no org learns of another org's offer.
 */

import type { Deps } from '../deps.ts';
import type { Actor, Role } from '../kernel/actor.ts';
import { ConflictError, NotFoundError } from '../kernel/errors.ts';
import { isEmail, normalizeEmail } from '../kernel/validation.ts';
import { adminCountChange, subBinding } from './members.ts';
import type { Membership } from './model.ts';
import type { SignInClaims } from './sign-in.ts';

/** The signed-in person, as the verified token says (no membership needed). */
export type Person = SignInClaims;

/** One org's offer, as the invited person sees it. */
export type InvitationOffer = { orgId: string; orgName: string; roles: Role[]; invitedAt: string };

// A round is lost only to a concurrent change of the invitation or of this sub; a few suffice.
const MAX_ATTEMPTS = 4;

const noSuchInvitation = () => new NotFoundError('Invitation');

const alreadyAMember = (actor: Actor) =>
  new ConflictError(
    'already-a-member',
    `You are already a member of ${actor.orgName}; a person belongs to one organization.`,
  );

/** The address the token's identity provider vouches for, normalized; undefined when it vouches for none. */
const verifiedEmail = (person: Person): string | undefined => {
  if (person.email === undefined || person.emailVerified === false) return undefined;
  const email = normalizeEmail(person.email);
  return isEmail(email) ? email : undefined;
};

/** The org's invitation of this person, if it is still an offer. */
const offerOf = async (
  deps: Pick<Deps, 'memberships'>,
  person: Person,
  orgId: string,
): Promise<Membership | undefined> => {
  const email = verifiedEmail(person);
  if (email === undefined) return undefined;
  const invitation = await deps.memberships.get(orgId, email);
  return invitation?.status === 'invited' ? invitation : undefined;
};

/**
 * listInvitations — output: the orgs whose invitation of the person's verified address is still an
 * offer, newest first (then by org id). Whether the person is a member somewhere changes nothing:
 * the other offers stay visible so they can be declined.
 */
export const listInvitations = async (
  deps: Pick<Deps, 'memberships' | 'orgs'>,
  person: Person,
): Promise<InvitationOffer[]> => {
  const email = verifiedEmail(person);
  if (email === undefined) return [];
  const invitations = await deps.memberships.findInvitations(email);
  const offers = await Promise.all(
    invitations.map(async (invitation): Promise<InvitationOffer | undefined> => {
      const org = await deps.orgs.get(invitation.orgId);
      return (
        org && {
          orgId: org.id,
          orgName: org.name,
          roles: invitation.roles,
          invitedAt: invitation.invitedAt,
        }
      );
    }),
  );
  return offers
    .filter((offer): offer is InvitationOffer => offer !== undefined)
    .sort((a, b) =>
      a.invitedAt === b.invitedAt ? (a.orgId < b.orgId ? -1 : 1) : a.invitedAt > b.invitedAt ? -1 : 1,
    );
};

/**
 * acceptInvitation — input: the org. Output: the person's Actor as a member of it (GET /v1/me).
 * One conditional transaction (`memberships.bind`): the invitation still `invited` at the version
 * read, the sub bound nowhere. A round lost to a concurrent change reads again and decides again.
 */
export const acceptInvitation = async (
  deps: Pick<Deps, 'clock' | 'memberships' | 'orgs'>,
  person: Person,
  command: { orgId: string },
): Promise<Actor> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const member = await deps.memberships.getActor(person.sub);
    if (member) {
      if (member.orgId === command.orgId) return member;
      throw alreadyAMember(member);
    }
    const invitation = await offerOf(deps, person, command.orgId);
    if (!invitation) throw noSuchInvitation();
    const org = await deps.orgs.get(invitation.orgId);
    const now = deps.clock.now().toISOString();
    const active: Membership = {
      ...invitation,
      status: 'active',
      sub: person.sub,
      joinedAt: now,
      updatedAt: now,
      version: invitation.version + 1,
    };
    const binding = org && subBinding(active, org);
    if (!binding) throw noSuchInvitation();
    if ((await deps.memberships.bind(active, binding, adminCountChange(invitation, active))) === 'written') {
      return binding;
    }
  }
  throw new ConflictError('concurrent-update', 'The invitation changed while you accepted it; retry.');
};

/**
 * declineInvitation — input: the org. Output: nothing. The invitation becomes `declined`, written on
 * the version read; an invitation that is no longer an offer is NotFoundError.
 */
export const declineInvitation = async (
  deps: Pick<Deps, 'clock' | 'memberships'>,
  person: Person,
  command: { orgId: string },
): Promise<void> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const invitation = await offerOf(deps, person, command.orgId);
    if (!invitation) throw noSuchInvitation();
    const declined: Membership = {
      ...invitation,
      status: 'declined',
      updatedAt: deps.clock.now().toISOString(),
      version: invitation.version + 1,
    };
    if ((await deps.memberships.update(declined, undefined, 0)) === 'written') return;
  }
  throw new ConflictError('concurrent-update', 'The invitation changed while you declined it; retry.');
};
