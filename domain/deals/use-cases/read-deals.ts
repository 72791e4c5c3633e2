/**
 * Reading deals: one deal, the three tabs (outbound, inbound, favorites) with filters, the delta sync
 * and the CRM-id lookup, and a deal's history.
 * Rules (docs/domain.md §5): only the caller's org's deals; a referral-user only those of its locations where
 * it is on the team; anything else answers "not found", exactly like a deal that does not exist.
 */
import { type Actor, canSeeDeal, seesAllDeals } from '../../actor.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { Deal, Direction } from '../../model.ts';
import type { DealListSource, DealView, Deps, Page, PageRequest, StoredDeal } from '../../ports.ts';
import { type DealFilter, matchesDealFilter, syncHorizon } from '../rules/deal-filter.ts';
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

/** A list request: a tab (the API's `view`; optional with `updatedSince` or `crmId`) and the filter. */
export type DealListRequest = Omit<DealFilter, 'direction'> & { tab?: DealTab };

/** The index order that serves the request, and what of the filter that order does not already hold. */
const sourceOf = (
  request: Omit<DealListRequest, 'tab'>,
  direction: Direction,
  now: Date,
): { source: DealListSource; served: (keyof DealFilter)[] } => {
  if (request.crmId !== undefined)
    return { source: { by: 'crmId', crmId: request.crmId }, served: ['crmId'] };
  if (request.updatedSince !== undefined)
    return {
      source: { by: 'updated', since: request.updatedSince, until: syncHorizon(now) },
      served: ['updatedSince'],
    };
  const [only, ...more] = request.statuses ?? [];
  return only !== undefined && more.length === 0
    ? { source: { by: 'direction', direction, status: only }, served: ['direction', 'statuses'] }
    : { source: { by: 'direction', direction }, served: ['direction'] };
};

/**
 * A page of deals. Without `updatedSince` a tab, newest first; with it every deal of the org (both
 * directions unless `view` narrows) changed at or after the instant, oldest change first and only
 * up to the sync horizon (rules/deal-filter.ts), so continuing from the last `updatedAt` seen never
 * skips a change; with `crmId` at most the one deal carrying it. Deals the caller may not see and
 * deals outside the filter are never returned; a page that had to skip some may hold fewer than
 * `limit` items while `next` still continues.
 */
export const listDeals = async (
  deps: Deps,
  actor: Actor,
  request: DealListRequest,
  page: PageRequest,
): Promise<Page<DealView>> => {
  const { tab: view, ...rest } = request;
  const sync = rest.updatedSince !== undefined || rest.crmId !== undefined;
  if (view === 'favorites' && sync)
    throw ValidationError.field('view', 'The favorites view does not combine with updatedSince or crmId.');
  const tab: DealTab | undefined = view ?? (sync ? undefined : 'outbound');
  const filter: DealFilter = { ...rest, ...(tab && tab !== 'favorites' ? { direction: tab } : {}) };
  const keep = (deal: Deal) => canSeeDeal(actor, deal) && matchesDealFilter(deal, filter);
  const given = (Object.keys(filter) as (keyof DealFilter)[]).filter((name) => filter[name] !== undefined);
  const now = deps.clock.now();

  let result: Page<StoredDeal>;
  if (tab === 'favorites') {
    const unfiltered = seesAllDeals(actor) && given.length === 0;
    result = await deps.deals.listFavorites(actor.sub, page, unfiltered ? undefined : keep);
  } else {
    const { source, served } = sourceOf(rest, tab ?? 'outbound', now);
    if (source.by === 'updated' && source.since > source.until) return { items: [] };
    const unserved = given.filter((name) => !served.includes(name));
    const unfiltered = seesAllDeals(actor) && unserved.length === 0;
    result = await deps.deals.list(
      { orgId: actor.orgId, source, ...(unfiltered ? {} : { keep }) },
      actor.sub,
      page,
    );
  }
  const items = result.items.filter((view) => keep(view.deal));
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
