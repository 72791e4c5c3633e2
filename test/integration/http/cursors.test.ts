/**
 * Cursors are bound to everything that shapes the start key they carry: route, path parameters,
 * caller (org and user) and query. Any other use is a 400 `invalid-cursor`, never the 500 DynamoDB's
 * rejection of a foreign start key would become.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation } from '#domain/identity/invitations.ts';
import { inviteMember, removeMember } from '#domain/identity/members.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { getDeps } from '#functions/composition/deps.ts';
import { resetConfig } from '#functions/config.ts';
import { handler as history } from '#functions/http/deals/history.ts';
import { handler as list } from '#functions/http/deals/list.ts';
import { handler as update } from '#functions/http/deals/update.ts';
import { tenantClaims } from '#functions/triggers/tenant-claims.ts';
import { apiWorld, TEST_CURSOR_SECRET_ID, testSecrets } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';
import { expectProblem } from '#test/support/problem.ts';

const HISTORY = 'GET /v1/deals/{id}/history';
let w: World;

/** A deal with three history entries, so a page of one has a next cursor. */
const dealWithHistory = async (actor: Actor) => {
  const deal = await w.create(actor);
  for (const notes of ['one', 'two']) {
    const edited = await invoke(update, {
      route: 'PATCH /v1/deals/{id}',
      sub: actor.sub,
      params: { id: deal.id },
      body: { notes },
    });
    expect(edited.status).toBe(200);
  }
  return deal.id;
};

beforeAll(async () => {
  w = await apiWorld();
});

describe('cursor binding', () => {
  it("answers 400 invalid-cursor for one deal's history cursor on another deal of the same caller", async () => {
    const [first, second] = [await dealWithHistory(w.partner), await dealWithHistory(w.partner)];
    const page = await invoke(history, {
      route: HISTORY,
      sub: w.partner.sub,
      params: { id: first },
      query: { limit: '1' },
    });
    expect(page.status).toBe(200);
    const cursor = page.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));

    const next = await invoke(history, {
      route: HISTORY,
      sub: w.partner.sub,
      params: { id: first },
      query: { limit: '1', cursor },
    });
    expect(next.status).toBe(200);
    expect(next.body.items[0].id).not.toBe(page.body.items[0].id);

    expectProblem(
      await invoke(history, {
        route: HISTORY,
        sub: w.partner.sub,
        params: { id: second },
        query: { limit: '1', cursor },
      }),
      400,
      'invalid-cursor',
    );
  });

  it('answers 400 invalid-cursor when the same user now belongs to another org', async () => {
    for (let i = 0; i < 2; i++) await w.create(w.partner);
    const mover = await w.member(w.partner, 'cursor-mover', ['referrals-admin'], ['DE']);
    // The token claims Fabrikam, as the token trigger issued it while the mover was a member there.
    const claims = { email: mover.email, email_verified: 'true', ...tenantClaims(mover) };
    const page = await invoke(list, {
      route: 'GET /v1/deals',
      sub: mover.sub,
      claims,
      query: { view: 'outbound', limit: '1' },
    });
    const cursor = page.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));

    // Removed from Fabrikam, invited to Adatum and accepted there: the same sub's next request is
    // Adatum's, while its token still claims Fabrikam (middleware/membership.ts).
    await removeMember(getDeps(), w.partner, { email: mover.email });
    await inviteMember(getDeps(), w.other, {
      email: mover.email,
      name: 'Mover',
      roles: ['referrals-admin'],
      locations: [],
    });
    await acceptInvitation(getDeps(), { sub: mover.sub, email: mover.email }, { orgId: w.other.orgId });
    expectProblem(
      await invoke(list, {
        route: 'GET /v1/deals',
        sub: mover.sub,
        claims,
        query: { view: 'outbound', limit: '1', cursor },
      }),
      400,
      'invalid-cursor',
    );
    const fresh = await invoke(list, { route: 'GET /v1/deals', sub: mover.sub, claims, query: {} });
    expect(fresh.status).toBe(200);
    expect((fresh.body.items as { orgId: string }[]).every((deal) => deal.orgId === w.other.orgId)).toBe(
      true,
    );
  });
});

describe('cursor key rotation', () => {
  /** Rotates the secret in Secrets Manager, then lets the function's cache expire. */
  const rotate = async (value: string) => {
    (await testSecrets()).put(TEST_CURSOR_SECRET_ID, value);
    resetConfig();
  };
  const pageOf = (id: string, cursor?: string) =>
    invoke(history, {
      route: HISTORY,
      sub: w.partner.sub,
      params: { id },
      query: { limit: '1', ...(cursor ? { cursor } : {}) },
    });

  it('accepts a cursor signed before a rotation, and signs the next page with the new key', async () => {
    const id = await dealWithHistory(w.partner);
    const first = await pageOf(id);
    const before = first.body.nextCursor as string;

    await rotate('rotated-cursor-key-1');
    const second = await pageOf(id, before);
    expect(second.status).toBe(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    const after = second.body.nextCursor as string;
    expect(after.split('.')[1]).not.toBe(before.split('.')[1]);

    // Two rotations on, the first key is neither current nor previous.
    await rotate('rotated-cursor-key-2');
    expect((await pageOf(id, after)).status).toBe(200);
    expectProblem(await pageOf(id, before), 400, 'invalid-cursor');
  });
});
