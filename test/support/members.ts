/**
 * A member for a test, made the only way members are made: its org's admin invites the email, then
 * the person's first sign-in (its sub, the verified email) binds it.
 */

import type { Deps } from '#domain/deps.ts';
import { inviteMember } from '#domain/identity/members.ts';
import { signIn } from '#domain/identity/sign-in.ts';
import type { Actor, Role } from '#domain/kernel/actor.ts';

export type NewMember = { sub: string; email: string; name: string; roles: Role[]; locations: string[] };

export const addMember = async (deps: Deps, admin: Actor, { sub, ...member }: NewMember): Promise<Actor> => {
  await inviteMember(deps, admin, member);
  const actor = await signIn(deps, { sub, email: member.email, emailVerified: true });
  if (!actor) throw new Error(`${sub} could not join`);
  return actor;
};
