/**
 * Reading deals: one deal, the three tabs (outbound, inbound, favorites) and a deal's history.
 * Rules (docs/domain.md §5): only the caller's org's deals; a referral-user only those of its locations where
 * it is on the team; anything else answers "not found", exactly like a deal that does not exist.
 */
import { type Actor, canSeeDeal } from '../../actor.ts';
import { NotFoundError } from '../../errors.ts';
import type { DealStatus, Direction } from '../../model.ts';
import type { DealView, Deps, Page, PageRequest, StoredDeal } from '../../ports.ts';
import { type HistoryEntryView, presentHistoryEntry } from '../rules/history.ts';
import { presentDeal, presentDeals } from './present.ts';

export type DealTab = Direction | 'favorites';

/** The caller's deal as stored, or not found (also when the caller may not see it). */
export const findVisibleDeal = async (deps: Deps, actor: Actor, dealId: string): Promise<StoredDeal> => {
  const view = await deps.deals.get(actor.orgId, dealId, actor.sub);
  if (!view || !canSeeDeal(actor, view.deal)) throw new NotFoundError('The deal');
  return view;
};

export const getVisibleDeal = async (deps: Deps, actor: Actor, dealId: string): Promise<DealView> =>
  presentDeal(deps, await findVisibleDeal(deps, actor, dealId));

/**
 * A page of one tab, newest first. Deals the caller may not see are dropped from the page after the
 * read, so a referral-user's page can hold fewer items than `limit` while `next` still continues.
 */
export const listDeals = async (
  deps: Deps,
  actor: Actor,
  query: { tab: DealTab; status?: DealStatus },
  page: PageRequest,
): Promise<Page<DealView>> => {
  const result =
    query.tab === 'favorites'
      ? await deps.deals.listFavorites(actor.sub, page)
      : await deps.deals.list(
          { orgId: actor.orgId, direction: query.tab, ...(query.status ? { status: query.status } : {}) },
          actor.sub,
          page,
        );
  const items = result.items.filter(
    (view) =>
      canSeeDeal(actor, view.deal) && (query.status === undefined || view.deal.status === query.status),
  );
  return { items: await presentDeals(deps, items), ...(result.next ? { next: result.next } : {}) };
};

/** A page of the deal's history, newest first, each entry as the caller may see it (../rules/history.ts). */
export const dealHistory = async (
  deps: Deps,
  actor: Actor,
  dealId: string,
  page: PageRequest,
): Promise<Page<HistoryEntryView>> => {
  const { deal } = await findVisibleDeal(deps, actor, dealId);
  const result = await deps.deals.history(dealId, page);
  return {
    items: result.items.map((entry) => presentHistoryEntry(entry, deal, actor)),
    ...(result.next ? { next: result.next } : {}),
  };
};
