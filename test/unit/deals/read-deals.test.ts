import { beforeEach, describe, expect, it } from 'vitest';
import { setFavorite } from '#domain/deals/use-cases/favorites.ts';
import {
  type ClaimedCaller,
  dealHistory,
  getVisibleDeal,
  listDeals,
  listDealsFor,
} from '#domain/deals/use-cases/read-deals.ts';
import { acceptInvitation } from '#domain/identity/invitations.ts';
import { inviteMember, removeMember, updateMember } from '#domain/identity/members.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { ForbiddenError, NotFoundError } from '#domain/kernel/errors.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

let w: DealWorld;
beforeEach(async () => {
  w = await dealWorld();
});

describe('reading deals', () => {
  it("answers not found for another org's deal, exactly as for a missing one", async () => {
    const deal = await w.create(w.partner);
    await expect(getVisibleDeal(w.deps, w.other, deal.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getVisibleDeal(w.deps, w.host, deal.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getVisibleDeal(w.deps, w.partner, 'missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(setFavorite(w.deps, w.other, { dealId: deal.id, favorite: true })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(dealHistory(w.deps, w.other, deal.id, { limit: 10 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('shows a referral-user only deals of its locations where it is on the team', async () => {
    const seller = await w.member(w.partner, 'seller', ['referral-user'], ['DE']);
    const onTeam = [{ name: 'Seller', email: seller.email, phone: '+49 1' }];
    const mine = await w.create(w.partner, { team: onTeam });
    const notOnTeam = await w.create(w.partner);
    const otherLocation = await w.create(w.partner, { team: onTeam, location: 'FR' });

    await expect(getVisibleDeal(w.deps, seller, mine.id)).resolves.toBeDefined();
    await expect(getVisibleDeal(w.deps, seller, notOnTeam.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getVisibleDeal(w.deps, seller, otherLocation.id)).rejects.toBeInstanceOf(NotFoundError);

    const page = await listDeals(w.deps, seller, { tab: 'outbound' }, { limit: 25 });
    expect(page.items.map((view) => view.deal.id)).toEqual([mine.id]);
    const adminPage = await listDeals(w.deps, w.partner, { tab: 'outbound' }, { limit: 25 });
    expect(adminPage.items).toHaveLength(3);
  });

  it('lists the tabs newest first, filtered by status, favorites per user', async () => {
    const first = await w.create(w.partner);
    const second = await w.create(w.partner);
    await setFavorite(w.deps, w.partner, { dealId: first.id, favorite: true });

    const outbound = await listDeals(w.deps, w.partner, { tab: 'outbound' }, { limit: 25 });
    expect(outbound.items.map((v) => [v.deal.id, v.favorite])).toEqual([
      [second.id, false],
      [first.id, true],
    ]);
    expect((await listDeals(w.deps, w.partner, { tab: 'inbound' }, { limit: 25 })).items).toEqual([]);
    expect(
      (await listDeals(w.deps, w.partner, { tab: 'outbound', statuses: ['won'] }, { limit: 25 })).items,
    ).toEqual([]);

    const favorites = await listDeals(w.deps, w.partner, { tab: 'favorites' }, { limit: 25 });
    expect(favorites.items.map((v) => v.deal.id)).toEqual([first.id]);
    const colleague = await w.member(w.partner, 'colleague', ['referrals-admin']);
    expect((await listDeals(w.deps, colleague, { tab: 'favorites' }, { limit: 25 })).items).toEqual([]);

    await setFavorite(w.deps, w.partner, { dealId: first.id, favorite: false });
    expect((await listDeals(w.deps, w.partner, { tab: 'favorites' }, { limit: 25 })).items).toEqual([]);
  });
});

describe('a list page for a caller its token claims', () => {
  /** The token as issued while `actor` was the membership: its org, roles and locations. */
  const claimedAs = (actor: Actor): ClaimedCaller => ({
    claims: {
      sub: actor.sub,
      email: actor.email,
      emailVerified: true,
      membership: { orgId: actor.orgId, roles: actor.roles, locations: actor.locations },
    },
  });
  const firstPage = () => ({ limit: 25 });
  const ids = (page: { items: { deal: { id: string } }[] }) => page.items.map((view) => view.deal.id);

  it('answers from its own read when the membership is what the token claims, without signing in', async () => {
    const deal = await w.create(w.partner);
    let signIns = 0;
    const getActor = w.deps.memberships.getActor.bind(w.deps.memberships);
    w.deps.memberships.getActor = (sub) => {
      signIns++;
      return getActor(sub);
    };
    for (const tab of ['outbound', 'favorites'] as const) {
      const { actor, page } = await listDealsFor(w.deps, claimedAs(w.partner), { tab }, firstPage);
      expect(actor).toEqual(await getActor(w.partner.sub));
      expect(ids(page)).toEqual(tab === 'outbound' ? [deal.id] : []);
    }
    expect(signIns).toBe(0);
  });

  it('reads the page again as the membership found when it changed since the token was issued', async () => {
    const seller = await w.member(w.partner, 'seller', ['referrals-admin'], ['DE']);
    await w.create(w.partner);
    const onTeam = await w.create(w.partner, {
      team: [{ name: 'Seller', email: seller.email, phone: '+49 1' }],
    });
    await updateMember(w.deps, w.partner, { email: seller.email, roles: ['referral-user'] });

    const { actor, page } = await listDealsFor(w.deps, claimedAs(seller), { tab: 'outbound' }, firstPage);
    expect(actor.roles).toEqual(['referral-user']);
    expect(ids(page)).toEqual([onTeam.id]);
  });

  it('refuses a removed member on its very next page, until it accepts an invitation elsewhere', async () => {
    const seller = await w.member(w.partner, 'seller', ['referrals-admin'], ['DE']);
    await w.create(w.partner);
    await removeMember(w.deps, w.partner, { email: seller.email });
    const refused = listDealsFor(w.deps, claimedAs(seller), { tab: 'outbound' }, firstPage);
    await expect(refused).rejects.toBeInstanceOf(ForbiddenError);
    await expect(refused).rejects.toMatchObject({ code: 'not-a-member' });

    await inviteMember(w.deps, w.other, {
      email: seller.email,
      name: 'Seller',
      roles: ['referrals-admin'],
      locations: [],
    });
    // Invited is not a member: only accepting moves the person.
    await expect(
      listDealsFor(w.deps, claimedAs(seller), { tab: 'outbound' }, firstPage),
    ).rejects.toMatchObject({ code: 'not-a-member' });
    await acceptInvitation(w.deps, { sub: seller.sub, email: seller.email }, { orgId: w.other.orgId });
    const othersDeal = await w.create(w.other);
    const pages: string[] = [];
    const { actor, page } = await listDealsFor(w.deps, claimedAs(seller), { tab: 'outbound' }, (as) => {
      pages.push(as.orgId);
      return firstPage();
    });
    expect(actor.orgId).toBe(w.other.orgId);
    expect(ids(page)).toEqual([othersDeal.id]);
    // The page request is asked for again as the caller found: a cursor is bound to the caller's org.
    expect(pages).toEqual([w.partner.orgId, w.other.orgId]);
  });

  it('confirms the caller even when the page reads nothing', async () => {
    const seller = await w.member(w.partner, 'seller', ['referrals-admin'], ['DE']);
    await removeMember(w.deps, w.partner, { email: seller.email });
    // A delta sync from the future has an empty range: the store is not asked for a page at all.
    const future = { updatedSince: '2099-01-01T00:00:00.000Z' };
    await expect(listDealsFor(w.deps, claimedAs(seller), future, firstPage)).rejects.toMatchObject({
      code: 'not-a-member',
    });
  });
});
