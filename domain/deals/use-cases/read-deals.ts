/**
 * Reading deals: one deal, the three tabs (outbound, inbound, favorites) with filters, the delta sync
 * and the CRM-id lookup, and a deal's history.
 * Rules (docs/domain.md §5): only the caller's org's deals; a referral-user only those of its locations where
 * it is on the team; anything else answers "not found", exactly like a deal that does not exist.
 */

import type { Deps } from '../../deps.ts';
import { notAMember, type SignInClaims, sameKind, signIn } from '../../identity/sign-in.ts';
import { type Actor, type ClaimedMembership, sameEmail, seesAllDeals } from '../../kernel/actor.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import type { Page, PageRequest } from '../../kernel/page.ts';
import { normalizeEmail } from '../../kernel/validation.ts';
import type { Deal, Direction } from '../model.ts';
import type { DealListPage, DealListSource, DealView, StoredDeal } from '../ports.ts';
import { type DealFilter, matchesDealFilter, syncHorizon } from '../rules/deal-filter.ts';
import { type HistoryEntryView, presentHistoryEntry } from '../rules/history.ts';
import { canSeeDeal } from '../rules/visibility.ts';
import { presentDeal, presentDeals } from './present.ts';

export type DealTab = Direction | 'favorites';

/** The caller's deal as stored, or not found (also when the caller may not see it). */
export const findVisibleDeal = async (deps: Deps, actor: Actor, dealId: string): Promise<StoredDeal> => {
  const view = await deps.deals.get(actor.orgId, dealId, actor.sub);
  if (!view || !canSeeDeal(actor, view.deal)) throw new NotFoundError('The deal');
  return view;
};

export const getVisibleDeal = async (deps: Deps, actor: Actor, dealId: string): Promise<DealView> =>
  presentDeal(deps, actor, await findVisibleDeal(deps, actor, dealId));

/**
 * Whose deals a list holds: the caller's own (`me`), a person's (an email), or nobody's (`none`).
 */
export type OwnerQuery = 'me' | 'none' | { email: string };

/**
 * A list request: a tab (the API's `view`; optional with `updatedSince` or `crmId`) and the filter.
 */
export type DealListRequest = Omit<DealFilter, 'direction' | 'owner'> & { tab?: DealTab; owner?: OwnerQuery };

/** The owner filter `query` asks for, as `viewer` reads it. */
const ownerFilter = (query: OwnerQuery | undefined, viewer: Viewer): { owner?: string | null } => {
  if (query === undefined) return {};
  if (query === 'none') return { owner: null };
  if (query !== 'me') return { owner: normalizeEmail(query.email) };
  if (viewer.email === '')
    throw ValidationError.field(
      'owner',
      'An API client owns no deals: name the owner by email instead of me.',
    );
  return { owner: normalizeEmail(viewer.email) };
};

/** The index order that serves the request, and what of the filter that order does not already hold. */
const sourceOf = (
  request: Omit<DealFilter, 'direction'>,
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
  if (request.owner !== undefined)
    return { source: { by: 'owner', owner: request.owner, direction }, served: ['direction', 'owner'] };
  const [only, ...more] = request.statuses ?? [];
  return only !== undefined && more.length === 0
    ? { source: { by: 'direction', direction, status: only }, served: ['direction', 'statuses'] }
    : { source: { by: 'direction', direction }, served: ['direction'] };
};

/**
 * A caller known so far only by its token: the membership the token claims (which org to read, with
 * which scope) and the claims to sign in with. The claim only chooses which partition a list reads,
 * never what the caller may see: the list's second read also reads the sub's binding, and the page
 * is answered only when that binding reads the same page. Otherwise the page is read again as the
 * membership found, or the sub signs in afresh (`claims`), so a removed or changed membership takes
 * effect on the very next request, whatever the token still says.
 */
export type ClaimedCaller = { claims: SignInClaims & { membership: ClaimedMembership } };

/** Who a list is read as: the sub, its email (team matching) and its org and scope. */
type Viewer = Pick<Actor, 'sub' | 'email' | 'orgId' | 'roles' | 'locations'>;

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value) => b.includes(value));

/** Whether `found` sees exactly what `viewer` was read as: the same org, roles and deals. */
const readsAs = (found: Actor, viewer: Viewer): boolean =>
  found.orgId === viewer.orgId &&
  sameSet(found.roles, viewer.roles) &&
  sameSet(found.locations, viewer.locations) &&
  (seesAllDeals(found) || sameEmail(found.email, viewer.email));

/**
 * Refuses a request no list can answer (the favorites tab with a delta sync or a CRM-id lookup), and
 * answers whether it is a sync or lookup, which reads both directions.
 */
export const checkListRequest = (request: DealListRequest): boolean => {
  const sync = request.updatedSince !== undefined || request.crmId !== undefined;
  if (request.tab === 'favorites' && sync)
    throw ValidationError.field('view', 'The favorites view does not combine with updatedSince or crmId.');
  return sync;
};

/** A list page's read: the stored deals before the visibility filter, and what confirmed the caller. */
const readList = async (
  deps: Deps,
  actor: Viewer,
  request: DealListRequest,
  page: PageRequest,
  readCaller: boolean,
): Promise<{ result: DealListPage; keep: (deal: Deal) => boolean }> => {
  const { tab: view, owner, ...listed } = request;
  const rest: Omit<DealFilter, 'direction'> = { ...listed, ...ownerFilter(owner, actor) };
  const sync = checkListRequest(request);
  const tab: DealTab | undefined = view ?? (sync ? undefined : 'outbound');
  const filter: DealFilter = { ...rest, ...(tab && tab !== 'favorites' ? { direction: tab } : {}) };
  const keep = (deal: Deal) => canSeeDeal(actor, deal) && matchesDealFilter(deal, filter);
  const given = (Object.keys(filter) as (keyof DealFilter)[]).filter((name) => filter[name] !== undefined);

  if (tab === 'favorites') {
    const unfiltered = seesAllDeals(actor) && given.length === 0;
    const result = await deps.deals.listFavorites(actor.sub, page, {
      ...(unfiltered ? {} : { keep }),
      readCaller,
    });
    return { result, keep };
  }
  const { source, served } = sourceOf(rest, tab ?? 'outbound', deps.clock.now());
  // An empty range reads nothing, so it confirms no caller either.
  if (source.by === 'updated' && source.since > source.until) return { result: { items: [] }, keep };
  const unserved = given.filter((name) => !served.includes(name));
  const unfiltered = seesAllDeals(actor) && unserved.length === 0;
  const result = await deps.deals.list(
    { orgId: actor.orgId, source, ...(unfiltered ? {} : { keep }), readCaller },
    actor.sub,
    page,
  );
  return { result, keep };
};

const presentPage = async (
  deps: Deps,
  actor: Actor,
  { result, keep }: Awaited<ReturnType<typeof readList>>,
): Promise<Page<DealView>> => ({
  items: await presentDeals(
    deps,
    actor,
    result.items.filter((view) => keep(view.deal)),
  ),
  ...(result.next ? { next: result.next } : {}),
});

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
): Promise<Page<DealView>> => presentPage(deps, actor, await readList(deps, actor, request, page, false));

/**
 * `listDeals` for a caller that is either known already or only claimed by its token
 * (`ClaimedCaller`): the page and the membership it was decided on. `pageFor` gives the page request
 * as a caller may continue it (a cursor is bound to the caller's org, so a caller found in another
 * org cannot use the claimed one's cursor). A claim that still holds costs no read of its own.
 */
export const listDealsFor = async (
  deps: Deps,
  caller: Actor | ClaimedCaller,
  request: DealListRequest,
  pageFor: (actor: Pick<Actor, 'sub' | 'orgId'>) => PageRequest,
): Promise<{ actor: Actor; page: Page<DealView> }> => {
  if (!('claims' in caller)) {
    return { actor: caller, page: await listDeals(deps, caller, request, pageFor(caller)) };
  }
  const { claims } = caller;
  const viewer: Viewer = { sub: claims.sub, email: claims.email ?? '', ...claims.membership };
  const read = await readList(deps, viewer, request, pageFor(viewer), true);
  const bound = read.result.caller;
  const found = bound && sameKind(claims, bound) ? bound : undefined;
  if (found && readsAs(found, viewer)) return { actor: found, page: await presentPage(deps, found, read) };
  const actor = found ?? (await signIn(deps, claims));
  if (!actor) throw notAMember();
  return { actor, page: await listDeals(deps, actor, request, pageFor(actor)) };
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
