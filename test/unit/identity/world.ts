/** In-memory wiring for the identity and directory unit tests: every port in memory, a settable clock. */

import { onboardOrg } from '#domain/identity/onboard-org.ts';
import type { Actor, Capability, OrgKind } from '#domain/kernel/actor.ts';
import { settableClock } from '#test/support/deal-world.ts';
import { type MemoryDeps, memoryDeps } from '#test/support/memory/deps.ts';

export type World = MemoryDeps & {
  setNow: (iso: string) => void;
  /** Onboards an org and returns its admin as an actor. */
  org: (name: string, kind?: OrgKind, capabilities?: Capability[]) => Promise<Actor>;
  actor: (sub: string) => Actor;
};

export const world = (): World => {
  const clock = settableClock();
  const deps = memoryDeps(clock);
  const w: World = {
    ...deps,
    setNow: clock.set,
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
      const actor = deps.orgs.actorOf(sub);
      if (!actor) throw new Error(`no member ${sub}`);
      return actor;
    },
  };
  return w;
};
