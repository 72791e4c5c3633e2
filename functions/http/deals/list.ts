import { listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { memberRoute } from '../route.ts';
import { DealPage, dealResponse, ListDealsQuery } from '../schemas/deals.ts';

export const handler = memberRoute(
  { responses: { 200: DealPage }, query: ListDealsQuery },
  async ({ deps, actor, query, page, pageBody }) => {
    const { view, status, limit, cursor, ...filter } = query;
    const result = await listDeals(
      deps,
      actor,
      { ...filter, ...(view ? { tab: view } : {}), ...(status ? { statuses: status } : {}) },
      page(limit, cursor),
    );
    return { status: 200, body: pageBody(result, dealResponse) };
  },
);
