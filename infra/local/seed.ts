/**
 * Seeds the demo installation (demo-data.ts) through the real use cases, so seeded data passes the
 * same rules and lands in the same item shapes as data made through the API: the admin invites each
 * member by email, and the member (as its demo sub, with its verified email) accepts the
 * invitation, exactly as a real person would. Runs once: a database that already has a host org is left alone.
 */

import type { Deps } from '#domain/deps.ts';
import { createCustomer } from '#domain/directory/customers.ts';
import { publishSolution } from '#domain/directory/solutions.ts';
import { acceptInvitation } from '#domain/identity/invitations.ts';
import { inviteMember } from '#domain/identity/members.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { DEMO_CUSTOMERS, DEMO_HOST, DEMO_PARTNERS, type DemoOrg } from './demo-data.ts';

export type SeedResult = { seeded: boolean };

const actorOf = async (deps: Deps, sub: string): Promise<Actor> => {
  const actor = await deps.memberships.getActor(sub);
  if (!actor) throw new Error(`Seed: ${sub} has no membership after onboarding`);
  return actor;
};

const seedOrg = async (deps: Deps, org: DemoOrg): Promise<Actor> => {
  await onboardOrg(deps, {
    name: org.name,
    kind: org.kind,
    capabilities: org.capabilities,
    admin: { sub: org.admin.sub, email: org.admin.email, name: org.admin.name },
  });
  const admin = await actorOf(deps, org.admin.sub);
  for (const { sub, ...member } of org.members) {
    await inviteMember(deps, admin, member);
    await acceptInvitation(deps, { sub, email: member.email, emailVerified: true }, { orgId: admin.orgId });
  }
  for (const solution of org.solutions) await publishSolution(deps, admin, solution);
  return admin;
};

export const seedDemoData = async (deps: Deps): Promise<SeedResult> => {
  if (await deps.orgs.getHost()) return { seeded: false };
  const hostAdmin = await seedOrg(deps, DEMO_HOST);
  for (const org of DEMO_PARTNERS) await seedOrg(deps, org);
  for (const customer of DEMO_CUSTOMERS) await createCustomer(deps, hostAdmin, customer);
  return { seeded: true };
};
