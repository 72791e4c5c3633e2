import { beforeAll, describe, expect, it } from 'vitest';
import { changePlan } from '#domain/deals/rules/plan.ts';
import { removeMember, updateMember } from '#domain/identity/members.ts';
import { getDeps, overrideDeps } from '#functions/composition/deps.ts';
import { resetConfig } from '#functions/config.ts';
import { handler as accept } from '#functions/http/deals/accept.ts';
import { handler as create } from '#functions/http/deals/create.ts';
import { handler as getDeal } from '#functions/http/deals/get.ts';
import { handler as listDeals } from '#functions/http/deals/list.ts';
import { handler as markFavorite } from '#functions/http/deals/mark-favorite.ts';
import { handler as update } from '#functions/http/deals/update.ts';
import { observeDynamoCalls } from '#functions/observability.ts';
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
  it('reads a deal, the caller and its mark with one BatchGetItem; a write adds only its transaction', async () => {
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

    const { received } = await w.invited(w.partner, w.other);
    expect(
      await commandsOf(async () => {
        const response = await invoke(accept, {
          route: 'POST /v1/deals/{id}/accept',
          params: { id: received.id },
          sub: w.other.sub,
          body: {},
        });
        expect(response.status).toBe(200);
      }),
    ).toEqual(['BatchGetItem', 'TransactWriteItems']);
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

describe('a list page: the caller confirmed in the page’s own read', () => {
  const list = (sub: string, query: Record<string, string> = { view: 'outbound' }) =>
    invoke(listDeals, { route: 'GET /v1/deals', query, sub });
  const ids = (response: { body: unknown }) =>
    (response.body as { items: { id: string }[] }).items.map((item) => item.id);

  it('is one Query and one BatchGetItem once the process has confirmed the sub, for every tab', async () => {
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
          responses.push(await list(lister.sub, query));
        }),
      ).toEqual(['Query', 'BatchGetItem']);
      const [response] = responses;
      expect(response?.status).toBe(200);
      // The delta sync stops short of the last seconds (its settle horizon), so only the tabs show it.
      if (response && query.view) expect(ids(response)).toContain(deal.id);
    }
  });

  it('reads the binding first on a sub this process has not confirmed yet', async () => {
    const newcomer = await w.member(w.partner, 'rt-newcomer', ['referrals-admin']);
    // w.member signs in through the domain, not a route: no route of this process has seen the sub.
    expect(await commandsOf(async () => expect((await list(newcomer.sub)).status).toBe(200))).toEqual([
      'GetItem',
      'Query',
      'BatchGetItem',
    ]);
    expect(await commandsOf(async () => expect((await list(newcomer.sub)).status).toBe(200))).toEqual([
      'Query',
      'BatchGetItem',
    ]);
  });

  it('refuses a removed member on its very next page, and follows a changed scope at once', async () => {
    const deal = await w.create(w.partner);
    const seller = await w.member(w.partner, 'rt-lister', ['referrals-admin'], ['DE']);
    expect(ids(await list(seller.sub))).toContain(deal.id);

    // Narrowed to referral-user, not on the deal's team: the next page no longer shows the deal.
    await updateMember(getDeps(), w.partner, { email: seller.email, roles: ['referral-user'] });
    const narrowed = await list(seller.sub);
    expect(narrowed.status).toBe(200);
    expect(ids(narrowed)).not.toContain(deal.id);

    await removeMember(getDeps(), w.partner, { email: seller.email });
    expectProblem(await list(seller.sub), 403, 'not-a-member');
    expectProblem(await list(seller.sub), 403, 'not-a-member');
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
