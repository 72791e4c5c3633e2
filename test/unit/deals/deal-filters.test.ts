import { beforeEach, describe, expect, it } from 'vitest';
import { matchesDealFilter, SYNC_SETTLE_MS } from '#domain/deals/rules/deal-filter.ts';
import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import { ValidationError } from '#domain/kernel/errors.ts';
import type { Page } from '#domain/kernel/page.ts';
import { aDeal } from '#test/support/builders.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

let w: DealWorld;
beforeEach(async () => {
  w = await dealWorld();
});

const ids = (page: Page<{ deal: { id: string } }>) => page.items.map((view) => view.deal.id);
const later = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms).toISOString();

describe('the deal filter', () => {
  it('holds a deal to every condition given, the customer prefix case-insensitively', () => {
    const deal = aDeal({ status: 'won', location: 'DE', campaignId: 'C-1', crmId: 'OPP-1' });
    expect(matchesDealFilter(deal, {})).toBe(true);
    expect(matchesDealFilter(deal, { statuses: ['lost', 'won'], customer: ' conT', type: 'private' })).toBe(
      true,
    );
    expect(matchesDealFilter(deal, { statuses: ['lost'] })).toBe(false);
    expect(matchesDealFilter(deal, { customer: 'toso' })).toBe(false);
    expect(matchesDealFilter(deal, { type: 'co-sell' })).toBe(false);
    expect(matchesDealFilter(deal, { location: 'FR' })).toBe(false);
    expect(matchesDealFilter(deal, { campaignId: 'C-2' })).toBe(false);
    expect(matchesDealFilter(deal, { crmId: 'OPP-2' })).toBe(false);
    expect(matchesDealFilter(deal, { direction: 'inbound' })).toBe(false);
    expect(matchesDealFilter(deal, { updatedSince: later(deal.updatedAt, 1) })).toBe(false);
    expect(matchesDealFilter(deal, { updatedSince: deal.updatedAt })).toBe(true);
  });
});

describe('listing deals with filters', () => {
  it('takes several statuses, type, location, campaign and customer prefix on a tab', async () => {
    const won = await w.create(w.partner, { campaignId: 'SPRING' });
    await closeDeal(w.deps, w.partner, { dealId: won.id, outcome: 'won' });
    const lost = await w.create(w.partner, { location: 'FR' });
    await closeDeal(w.deps, w.partner, { dealId: lost.id, outcome: 'lost', reason: 'no-budget' });
    const open = await w.create(w.partner);

    const list = (filter: Parameters<typeof listDeals>[2]) =>
      listDeals(w.deps, w.partner, filter, { limit: 25 });
    expect(ids(await list({ statuses: ['won', 'lost', 'declined'] }))).toEqual([lost.id, won.id]);
    expect(ids(await list({ tab: 'outbound', location: 'FR' }))).toEqual([lost.id]);
    expect(ids(await list({ campaignId: 'SPRING' }))).toEqual([won.id]);
    expect(ids(await list({ customer: 'TAILS' }))).toEqual([open.id, lost.id, won.id]);
    expect(ids(await list({ customer: 'spin' }))).toEqual([]);
    expect(ids(await list({ type: 'co-sell' }))).toEqual([]);
    expect(ids(await list({ type: 'private' }))).toEqual([open.id, lost.id, won.id]);
  });

  it('syncs both directions oldest change first, holding back the most recent seconds', async () => {
    const start = '2026-11-01T09:00:00.000Z';
    const outbound = await w.create(w.partner);
    w.setNow(later(start, 1_000));
    const { received } = await w.invited(w.other, w.partner);
    w.setNow(later(start, 2_000));
    await updateDeal(w.deps, w.partner, { dealId: outbound.id, notes: 'changed' });
    w.setNow(later(start, 3_000));
    await acceptInvitation(w.deps, w.partner, { dealId: received.id });

    const sync = () => listDeals(w.deps, w.partner, { updatedSince: start }, { limit: 25 });
    // Within the settle window nothing is returned yet.
    expect(ids(await sync())).toEqual([]);
    w.setNow(later(start, 3_000 + SYNC_SETTLE_MS));
    const page = await sync();
    expect(ids(page)).toEqual([outbound.id, received.id]);
    expect(page.items.map((view) => view.deal.updatedAt)).toEqual([later(start, 2_000), later(start, 3_000)]);

    // From a watermark: only what changed at or after it, and a tab narrows to one direction.
    const since = later(start, 2_500);
    expect(ids(await listDeals(w.deps, w.partner, { updatedSince: since }, { limit: 25 }))).toEqual([
      received.id,
    ]);
    expect(
      ids(await listDeals(w.deps, w.partner, { updatedSince: start, tab: 'outbound' }, { limit: 25 })),
    ).toEqual([outbound.id]);
    // An instant past the horizon is an empty page, not an error.
    expect(
      ids(await listDeals(w.deps, w.partner, { updatedSince: later(start, 60_000) }, { limit: 25 })),
    ).toEqual([]);
  });

  it("finds the org's own deal by CRM id in either direction, and nobody else's", async () => {
    const deal = await w.create(w.partner, { crmId: 'OPP-7' });
    await w.create(w.other, { crmId: 'OPP-7' });
    expect(ids(await listDeals(w.deps, w.partner, { crmId: 'OPP-7' }, { limit: 25 }))).toEqual([deal.id]);
    expect(
      ids(await listDeals(w.deps, w.partner, { crmId: 'OPP-7', tab: 'inbound' }, { limit: 25 })),
    ).toEqual([]);
    expect(ids(await listDeals(w.deps, w.partner, { crmId: 'OPP-8' }, { limit: 25 }))).toEqual([]);
  });

  it('keeps a referral-user to its own deals on every path', async () => {
    const seller = await w.member(w.partner, 'seller', ['referral-user'], ['DE']);
    const mine = await w.create(w.partner, {
      crmId: 'MINE',
      team: [{ name: 'Seller', email: seller.email, phone: '+49 1' }],
    });
    const notMine = await w.create(w.partner, { crmId: 'NOT-MINE' });
    w.setNow(later('2026-11-01T09:00:00.000Z', SYNC_SETTLE_MS));
    const as = (filter: Parameters<typeof listDeals>[2]) => listDeals(w.deps, seller, filter, { limit: 25 });
    expect(ids(await as({ updatedSince: '2026-11-01T00:00:00Z' }))).toEqual([mine.id]);
    expect(ids(await as({ crmId: 'NOT-MINE' }))).toEqual([]);
    expect(ids(await as({ crmId: 'MINE' }))).toEqual([mine.id]);
    expect(ids(await as({ statuses: ['accepted'] }))).toEqual([mine.id]);
    expect(ids(await listDeals(w.deps, w.partner, { statuses: ['accepted'] }, { limit: 25 }))).toEqual([
      notMine.id,
      mine.id,
    ]);
  });

  it('refuses the favorites tab with a sync or a CRM id', async () => {
    await expect(
      listDeals(
        w.deps,
        w.partner,
        { tab: 'favorites', updatedSince: '2026-01-01T00:00:00.000Z' },
        { limit: 5 },
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      listDeals(w.deps, w.partner, { tab: 'favorites', crmId: 'X' }, { limit: 5 }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
