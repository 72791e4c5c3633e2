import { listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { memberRoute } from '../route.ts';
import { DealPage, dealResponse, ListDealsQuery } from '../schemas/deals.ts';

export const handler = memberRoute(
  { responses: { 200: DealPage }, query: ListDealsQuery },
  async ({ deps, actor, query, page, pageBody }) => {
    const result = await listDeals(
      deps,
      actor,
      { tab: query.view, status: query.status },
      page(query.limit, query.cursor),
    );
    return { status: 200, body: pageBody(result, dealResponse) };
  },
);
