/**
 * In-memory wiring for the deal unit tests: every port in memory, a settable clock, and a small
 * catalog (a customer, host and partner solutions, an assessment type) to build deals from.
 */

import type { Deal } from '#domain/deals/model.ts';
import { type CreateDealInput, createDeal } from '#domain/deals/use-cases/create-deal.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { findVisibleDeal } from '#domain/deals/use-cases/read-deals.ts';
import type { Deps } from '#domain/deps.ts';
import { createCustomer } from '#domain/directory/customers.ts';
import type { Customer, Solution } from '#domain/directory/model.ts';
import { publishSolution } from '#domain/directory/solutions.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import type { Actor, Capability, OrgKind, Role } from '#domain/kernel/actor.ts';
import { addMember } from '#test/support/members.ts';
import { type MemoryDeps, memoryDeps } from './memory/deps.ts';

export type World<D extends Deps = Deps> = {
  deps: D;
  setNow: (iso: string) => void;
  host: Actor;
  partner: Actor;
  assessor: Actor;
  other: Actor;
  customer: Customer;
  hostSolution: Solution;
  partnerSolution: Solution;
  /** Fabrikam's solution that is not co-sell ready: no deal takes it. */
  partnerDraft: Solution;
  assessmentType: Solution;
  /** Adds a member to the actor's org and returns it as an actor. */
  member: (admin: Actor, sub: string, roles: Role[], locations?: string[]) => Promise<Actor>;
  /** A valid create input for the actor's org, overridden where a test cares. */
  input: (overrides?: Partial<CreateDealInput>) => CreateDealInput;
  create: (actor: Actor, overrides?: Partial<CreateDealInput>) => ReturnType<typeof createDeal>;
  /** A new deal of `inviter` with `invitee` invited to it; returns both deals. */
  invited: (inviter: Actor, invitee: Actor) => Promise<{ deal: Deal; received: Deal }>;
};

export type DealWorld = World<MemoryDeps>;

/** The world on in-memory ports, for unit tests. */
export const dealWorld = async (): Promise<DealWorld> => {
  const clock = settableClock();
  return seedWorld(memoryDeps(clock), clock.set);
};

/** A clock that stands still until a test moves it. */
export const settableClock = (start = '2026-11-01T09:00:00.000Z') => {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (iso: string) => {
      now = new Date(iso);
    },
  };
};

/** Onboards the demo orgs and a small catalog through the real use cases on the given ports. */
export const seedWorld = async <D extends Deps>(
  deps: D,
  setNow: (iso: string) => void,
): Promise<World<D>> => {
  const onboard = async (name: string, kind: OrgKind, capabilities: Capability[] = []): Promise<Actor> => {
    const slug = name.toLowerCase();
    const sub = `${slug}-admin`;
    await onboardOrg(deps, {
      name,
      kind,
      capabilities,
      admin: { sub, email: `${sub}@${slug}.example`, name: `${name} Admin` },
    });
    const actor = await deps.memberships.getActor(sub);
    if (!actor) throw new Error(`onboarding ${name} failed`);
    return actor;
  };
  const host = await onboard('Contoso', 'host');
  const partner = await onboard('Fabrikam', 'partner');
  const assessor = await onboard('Northwind', 'partner', ['solution-assessment']);
  const other = await onboard('Adatum', 'partner');
  const customer = await createCustomer(deps, partner, {
    name: 'Tailspin Toys',
    country: 'DE',
    address: 'Berlin',
  });
  const hostSolution = await publishSolution(deps, host, {
    name: 'Host Cloud',
    coSellReady: true,
    incentiveEligible: true,
  });
  const partnerSolution = await publishSolution(deps, partner, {
    name: 'Fabrikam Analytics',
    coSellReady: true,
  });
  const partnerDraft = await publishSolution(deps, partner, {
    name: 'Fabrikam Toolkit',
    coSellReady: false,
  });
  // Every partner of the world is in the co-sell ecosystem (partner search lists only those).
  for (const [org, name] of [
    [assessor, 'Northwind Migration'],
    [other, 'Adatum Secure'],
  ] as const) {
    await publishSolution(deps, org, { name, coSellReady: true });
  }
  const assessmentType = await publishSolution(deps, host, {
    name: 'Migration assessment',
    coSellReady: true,
    kind: 'assessment',
  });
  const input = (overrides: Partial<CreateDealInput> = {}): CreateDealInput => ({
    customer: { id: customer.id },
    name: 'Tailspin data platform',
    location: 'DE',
    value: { amount: 250_000, currency: 'EUR' },
    closeDate: '2027-03-31',
    team: [{ name: 'Ann Seller', email: 'ann@fabrikam.example', phone: '+49 30 1234' }],
    solutions: [hostSolution.id],
    ...overrides,
  });
  return {
    deps,
    setNow,
    host,
    partner,
    assessor,
    other,
    customer,
    hostSolution,
    partnerSolution,
    partnerDraft,
    assessmentType,
    member: async (admin, sub, roles, locations = []) => {
      await addMember(deps, admin, { sub, email: `${sub}@example.com`, name: sub, roles, locations });
      const actor = await deps.memberships.getActor(sub);
      if (!actor) throw new Error(`adding ${sub} failed`);
      return actor;
    },
    input,
    create: (actor, overrides) => createDeal(deps, actor, input(overrides)),
    invited: async (inviter, invitee) => {
      const created = await createDeal(deps, inviter, input());
      const partners = [{ orgId: invitee.orgId, helpType: 'none' as const }];
      const { deal } = await inviteToDeal(deps, inviter, { dealId: created.id, partners });
      const { deal: received } = await findVisibleDeal(
        deps,
        invitee,
        deal.participants[invitee.orgId]?.dealId ?? '',
      );
      return { deal, received };
    },
  };
};
