import { beforeAll, describe, expect, it } from 'vitest';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import type { Deps } from '#domain/deps.ts';
import { getDeps } from '#functions/composition/deps.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';

let w: World;
let deps: Deps;
beforeAll(async () => {
  w = await apiWorld();
  deps = getDeps();
});

const invitations = async (count: number) => {
  for (let i = 0; i < count; i++) await w.invited(w.partner, w.other);
};

describe('the expiry job on DynamoDB Local', () => {
  it('reminds, then expires every due invitation across pages, and overlapping runs act once each', async () => {
    await invitations(12);
    w.setNow('2026-11-13T00:00:00.000Z');
    const reminders = await Promise.all([
      expireInvitations(deps, { pageSize: 5 }),
      expireInvitations(deps, { pageSize: 5 }),
    ]);
    expect(reminders.reduce((sum, run) => sum + run.reminded, 0)).toBe(12);

    w.setNow('2026-11-16T00:00:00.000Z');
    const runs = await Promise.all([
      expireInvitations(deps, { pageSize: 5 }),
      expireInvitations(deps, { pageSize: 5 }),
      expireInvitations(deps, { pageSize: 5 }),
    ]);
    expect(runs.reduce((sum, run) => sum + run.expired, 0)).toBe(12);
    expect(await expireInvitations(deps, { pageSize: 5 })).toMatchObject({ expired: 0, reminded: 0 });
  });
});
