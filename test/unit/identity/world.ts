/** In-memory wiring for the identity and directory unit tests: every port but deals, a settable clock. */
import type { Actor } from '#domain/actor.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import type { Capability, OrgKind } from '#domain/model.ts';
import type { DealStore, Deps } from '#domain/ports.ts';
import { MemoryCustomerStore } from '#test/support/memory/customers.ts';
import { MemoryMembershipStore } from '#test/support/memory/memberships.ts';
import { MemoryOrgStore } from '#test/support/memory/orgs.ts';
import { MemorySolutionStore } from '#test/support/memory/solutions.ts';

export type World = Deps & {
  orgs: MemoryOrgStore;
  customers: MemoryCustomerStore;
  solutions: MemorySolutionStore;
  setNow: (iso: string) => void;
  /** Onboards an org and returns its admin as an actor. */
  org: (name: string, kind?: OrgKind, capabilities?: Capability[]) => Promise<Actor>;
  actor: (sub: string) => Actor;
};

export const world = (): World => {
  let now = new Date('2026-11-01T09:00:00.000Z');
  let sequence = 0;
  const orgs = new MemoryOrgStore();
  const w: World = {
    clock: { now: () => new Date(now) },
    ids: { next: () => `01ID${String(++sequence).padStart(12, '0')}` },
    orgs,
    memberships: new MemoryMembershipStore(orgs),
    customers: new MemoryCustomerStore(),
    solutions: new MemorySolutionStore(),
    deals: {} as DealStore,
    setNow: (iso) => {
      now = new Date(iso);
    },
    org: async (name, kind = 'partner', capabilities) => {
      const sub = `${name.toLowerCase()}-admin`;
      await onboardOrg(w, {
        name,
        kind,
        ...(capabilities ? { capabilities } : {}),
        admin: { sub, email: `${sub}@${name.toLowerCase()}.example`, name: `${name} Admin` },
      });
      return w.actor(sub);
    },
    actor: (sub) => {
      const actor = orgs.actorOf(sub);
      if (!actor) throw new Error(`no member ${sub}`);
      return actor;
    },
  };
  return w;
};
