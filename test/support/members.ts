/**
 * A member for a test, made the only way members are made: its org's admin invites the email, then
 * the person (its sub, the verified email) accepts the invitation.
 */

import type { Deps } from '#domain/deps.ts';
import { acceptInvitation } from '#domain/identity/invitations.ts';
import { inviteMember } from '#domain/identity/members.ts';
import type { Actor, Role } from '#domain/kernel/actor.ts';

export type NewMember = { sub: string; email: string; name: string; roles: Role[]; locations: string[] };

export const addMember = async (deps: Deps, admin: Actor, { sub, ...member }: NewMember): Promise<Actor> => {
  await inviteMember(deps, admin, member);
  return acceptInvitation(deps, { sub, email: member.email, emailVerified: true }, { orgId: admin.orgId });
};
