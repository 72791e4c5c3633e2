import { getVisibleDeal } from '#domain/deals/use-cases/read-deals.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { DealResponse, dealResult } from '../schemas/deals.ts';

export const handler = memberRoute(
  { responses: { 200: DealResponse }, params: IdParams },
  async ({ deps, actor, params }) => dealResult(200, await getVisibleDeal(deps, actor, params.id)),
  { reads: dealOfPath },
);
