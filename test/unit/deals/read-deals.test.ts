import { beforeEach, describe, expect, it } from 'vitest';
import { setFavorite } from '#domain/deals/use-cases/favorites.ts';
import { dealHistory, getVisibleDeal, listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { NotFoundError } from '#domain/errors.ts';
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
