import { beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '#domain/deals/rules/plan.ts';
import { removeMember, updateMember } from '#domain/identity/members.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { getDeps, overrideDeps } from '#functions/composition/deps.ts';
import { resetConfig } from '#functions/config.ts';
import { handler as accept } from '#functions/http/deals/accept.ts';
import { handler as create } from '#functions/http/deals/create.ts';
import { handler as getDeal } from '#functions/http/deals/get.ts';
import { handler as listDeals } from '#functions/http/deals/list.ts';
import { handler as markFavorite } from '#functions/http/deals/mark-favorite.ts';
import { handler as update } from '#functions/http/deals/update.ts';
import { observeDynamoCalls } from '#functions/observability.ts';
import { tenantClaims } from '#functions/triggers/tenant-claims.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';
import { expectProblem } from '#test/support/problem.ts';

let w: World & { tableName: string };

beforeAll(async () => {
  w = await apiWorld();
  // As in a warm Lambda: the catalog is cached, so what is counted is the request's own reads.
  process.env.SOLUTION_CACHE_MS = '60000';
  resetConfig();
  overrideDeps({});
});

/** The DynamoDB commands a request sends, in order. */
const commandsOf = async (request: () => Promise<unknown>): Promise<string[]> => {
  const commands: string[] = [];
  observeDynamoCalls((command) => {
    commands.push(command.replace(/Command$/, ''));
    return undefined;
  });
  try {
    await request();
  } finally {
    observeDynamoCalls(undefined);
  }
  return commands;
};

describe('one round trip before the decision, on DynamoDB Local through the real handlers', () => {
  it('reads a deal, the caller and its mark with one BatchGetItem (and the teams it shows with one more); a write adds only its transaction', async () => {
    const deal = await w.create(w.partner);
    // Warm: the catalog cache holds the deal's solutions.
    await invoke(getDeal, { route: 'GET /v1/deals/{id}', params: { id: deal.id }, sub: w.partner.sub });
    await invoke(create, { route: 'POST /v1/deals', sub: w.partner.sub, body: w.input() });

    expect(
      await commandsOf(async () => {
        const response = await invoke(getDeal, {
          route: 'GET /v1/deals/{id}',
          params: { id: deal.id },
          sub: w.partner.sub,
        });
        expect(response.status).toBe(200);
      }),
    ).toEqual(['BatchGetItem']);

    expect(
      await commandsOf(async () => {
        const response = await invoke(update, {
          route: 'PATCH /v1/deals/{id}',
          params: { id: deal.id },
          sub: w.partner.sub,
          body: { name: 'Renamed in one round trip' },
        });
        expect(response.status).toBe(200);
      }),
    ).toEqual(['BatchGetItem', 'TransactWriteItems']);

    expect(
      await commandsOf(async () => {
        const response = await invoke(create, {
          route: 'POST /v1/deals',
          sub: w.partner.sub,
          body: w.input(),
        });
        expect(response.status).toBe(201);
      }),
    ).toEqual(['BatchGetItem', 'TransactWriteItems']);

    // Accepting shows the inviter's team: its shared team is read beside the transaction, not after it.
    const { deal: inviting, received } = await w.invited(w.partner, w.other);
    const accepted = await commandsOf(async () => {
      const response = await invoke(accept, {
        route: 'POST /v1/deals/{id}/accept',
        params: { id: received.id },
        sub: w.other.sub,
        body: { team: [{ name: 'Ada Round', email: 'ada@round.example', phone: '+49 1' }] },
      });
      expect(response.status).toBe(200);
    });
    expect(accepted[0]).toBe('BatchGetItem');
    expect(accepted.slice(1).sort()).toEqual(['BatchGetItem', 'TransactWriteItems']);

    // A deal whose org sees other orgs' teams reads them once it knows the deal: one BatchGetItem more.
    expect(
      await commandsOf(async () => {
        const response = await invoke(getDeal, {
          route: 'GET /v1/deals/{id}',
          params: { id: inviting.id },
          sub: w.partner.sub,
        });
        expect(response.status).toBe(200);
        const { participants } = response.body as { participants: { orgId: string; team: unknown[] }[] };
        expect(participants.find((entry) => entry.orgId === w.other.orgId)?.team).not.toEqual([]);
      }),
    ).toEqual(['BatchGetItem', 'BatchGetItem']);
  });

  it('answers another org’s deal as not found and a removed member as not a member, on the next request', async () => {
    const deal = await w.create(w.partner);
    const other = await invoke(getDeal, {
      route: 'GET /v1/deals/{id}',
      params: { id: deal.id },
      sub: w.other.sub,
    });
    expectProblem(other, 404, 'not-found');

    const seller = await w.member(w.partner, 'rt-seller', ['referrals-admin']);
    const seen = await invoke(getDeal, {
      route: 'GET /v1/deals/{id}',
      params: { id: deal.id },
      sub: seller.sub,
    });
    expect(seen.status).toBe(200);
    await removeMember(getDeps(), w.partner, { email: seller.email });
    const after = await invoke(getDeal, {
      route: 'GET /v1/deals/{id}',
      params: { id: deal.id },
      sub: seller.sub,
    });
    expectProblem(after, 403, 'not-a-member');
  });
});

describe('a list page: the org the token claims, confirmed in the page’s own read', () => {
  /** The claims of a token issued while `actor` was the membership (the token trigger's). */
  const tokenOf = (actor: Actor) => ({ email: actor.email, email_verified: 'true', ...tenantClaims(actor) });
  const list = (
    sub: string,
    claims: Record<string, string>,
    query: Record<string, string> = { view: 'outbound' },
  ) => invoke(listDeals, { route: 'GET /v1/deals', query, sub, claims });
  const ids = (response: { body: unknown }) =>
    (response.body as { items: { id: string }[] }).items.map((item) => item.id);

  it('is one Query and one BatchGetItem with a token that claims the org, for every tab', async () => {
    const deal = await w.create(w.partner);
    const lister = await w.member(w.partner, 'rt-first-lister', ['referrals-admin']);
    await invoke(markFavorite, {
      route: 'PUT /v1/deals/{id}/favorite',
      params: { id: deal.id },
      sub: lister.sub,
    });
    const queries: Record<string, string>[] = [
      { view: 'outbound' },
      { view: 'favorites' },
      { updatedSince: '2020-01-01T00:00:00Z' },
    ];
    for (const query of queries) {
      const responses: Awaited<ReturnType<typeof list>>[] = [];
      expect(
        await commandsOf(async () => {
          responses.push(await list(lister.sub, tokenOf(lister), query));
        }),
      ).toEqual(['Query', 'BatchGetItem']);
      const [response] = responses;
      expect(response?.status).toBe(200);
      // The delta sync stops short of the last seconds (its settle horizon), so only the tabs show it.
      if (response && query.view) expect(ids(response)).toContain(deal.id);
    }
  });

  it('reads the membership first, every time, with a token that claims no org', async () => {
    const newcomer = await w.member(w.partner, 'rt-newcomer', ['referrals-admin']);
    // Issued before the person joined: nothing in this process makes up for the claim.
    const before = { email: newcomer.email, email_verified: 'true' };
    // Nor does a claim this API did not write (an unknown role): it names no org either.
    const unknown = { ...tokenOf(newcomer), org_roles: 'root' };
    for (const claims of [before, before, unknown]) {
      expect(
        await commandsOf(async () => expect((await list(newcomer.sub, claims)).status).toBe(200)),
      ).toEqual(['GetItem', 'Query', 'BatchGetItem']);
    }
  });

  it('refuses a removed member on its very next page, and follows a changed scope at once, whatever the token claims', async () => {
    const deal = await w.create(w.partner);
    const seller = await w.member(w.partner, 'rt-lister', ['referrals-admin'], ['DE']);
    const token = tokenOf(seller);
    expect(ids(await list(seller.sub, token))).toContain(deal.id);

    // Narrowed to referral-user, not on the deal's team: the next page no longer shows the deal.
    await updateMember(getDeps(), w.partner, { email: seller.email, roles: ['referral-user'] });
    const narrowed = await list(seller.sub, token);
    expect(narrowed.status).toBe(200);
    expect(ids(narrowed)).not.toContain(deal.id);

    await removeMember(getDeps(), w.partner, { email: seller.email });
    expectProblem(await list(seller.sub, token), 403, 'not-a-member');
    expectProblem(await list(seller.sub, token), 403, 'not-a-member');
  });

  it('never trusts a claimed org the binding does not name', async () => {
    const deal = await w.create(w.partner);
    // A token claiming Fabrikam for a member of Adatum: the page is Adatum's.
    const forged = { ...tokenOf(w.other), ...tenantClaims(w.partner) };
    const response = await list(w.other.sub, forged);
    expect(response.status).toBe(200);
    expect(ids(response)).not.toContain(deal.id);
    expect(
      (response.body as { items: { orgId: string }[] }).items.every((item) => item.orgId === w.other.orgId),
    ).toBe(true);
  });
});

describe('DynamoDealStore.commit re-checks the membership the decision relied on', () => {
  it('writes only while the caller’s sub binding is unchanged', async () => {
    const deal = await w.create(w.partner);
    const member = await w.member(w.partner, 'rt-changed', ['referrals-admin']);
    const deals = getDeps().deals;
    const renamed = (name: string, version: number, actor = member) =>
      changePlan(getDeps().ids, {
        previous: { ...deal, version },
        next: { ...deal, name, version: version + 1 },
        action: 'updated',
        actor,
        events: [],
      });
    expect(renamed('as read', deal.version).authorizedBy).toEqual({
      sub: member.sub,
      orgId: member.orgId,
      version: member.membershipVersion,
    });

    // The member's roles change after the decision was made: nothing is written.
    await updateMember(getDeps(), w.partner, { email: member.email, roles: ['org-admin'] });
    expect(await deals.commit(renamed('stale membership', deal.version))).toBe('membership-changed');
    expect((await deals.get(deal.orgId, deal.id, member.sub))?.deal.name).toBe(deal.name);

    // Read afresh, the same change lands.
    const fresh = await getDeps().memberships.getActor(member.sub);
    expect(await deals.commit(renamed('fresh membership', deal.version, fresh))).toBe('committed');

    // Removed: no binding to check against.
    await removeMember(getDeps(), w.partner, { email: member.email });
    expect(await deals.commit(renamed('removed', deal.version + 1, fresh))).toBe('membership-changed');
  });
});
