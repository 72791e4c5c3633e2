import { dealHistory } from '#domain/deals/use-cases/read-deals.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { historyEntryResponse } from '../schemas/deals/presenter.ts';
import { HistoryQuery } from '../schemas/deals/requests.ts';
import { HistoryPage } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: "A deal's history",
    description:
      "The deal's changes, newest first, paged. Entries written by another org show that org by id and name only.",
    responses: { 200: HistoryPage },
    params: IdParams,
    query: HistoryQuery,
  },
  async ({ deps, actor, params, query, page, pageBody }) => {
    const result = await dealHistory(deps, actor, params.id, page(query.limit, query.cursor));
    return { status: 200, body: pageBody(result, historyEntryResponse) };
  },
  { reads: dealOfPath },
);
