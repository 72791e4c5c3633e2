import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { DealResponse, dealResult, UpdateDealBody } from '../schemas/deals.ts';

export const handler = memberRoute(
  { responses: { 200: DealResponse }, params: IdParams, body: UpdateDealBody },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(200, await updateDeal(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch })),
  { reads: dealOfPath },
);
