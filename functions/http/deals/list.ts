import { FILTER_TEXTS } from '#domain/deals/model.ts';
import { listDealsFor } from '#domain/deals/use-cases/read-deals.ts';
import { memberRoute } from '../route.ts';
import { dealResponse } from '../schemas/deals/presenter.ts';
import { ListDealsQuery } from '../schemas/deals/requests.ts';
import { DealPage } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'List deals: tabs, filters, delta sync, CRM-id lookup',
    description:
      'Without `updatedSince` a tab (`view`, default `outbound`) newest first, narrowed by `status` (several, comma-separated), `type`, `location`, `customer` (name prefix) and, matching exactly, ' +
      `${FILTER_TEXTS.map((field) => `\`${field}\``).join(', ')}. ` +
      "With `updatedSince` every deal of the org (both directions unless `view` narrows) changed at or after the instant, oldest change first: store the last `updatedAt` you saw and continue from it; a deal changed again appears again. With `crmId` at most the one deal carrying the org's own CRM id. `owner` (`me`, an email, `none`) narrows a tab to one owner's deals, or to deals nobody owns, read from the owner index. A referral-user sees only deals of its locations where it is on the team, so a page can hold fewer than `limit` items while `nextCursor` continues.",
    responses: { 200: DealPage },
    query: ListDealsQuery,
  },
  async ({ deps, caller, callerDecided, query, page, pageBody }) => {
    const { view, status, owner, limit, cursor, ...filter } = query;
    const result = await listDealsFor(
      deps,
      caller,
      {
        ...filter,
        ...(view ? { tab: view } : {}),
        ...(status ? { statuses: status } : {}),
        ...(owner ? { owner: owner === 'me' || owner === 'none' ? owner : { email: owner } } : {}),
      },
      (actor) => page(limit, cursor, actor),
    );
    callerDecided(result.actor);
    return { status: 200, body: pageBody(result.page, dealResponse) };
  },
  // The Query needs the caller's org before anything is read: the token claims it, the page's read confirms it.
  { claimed: true },
);
