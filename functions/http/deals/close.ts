import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { CloseDealBody, DealResponse, dealResult } from '../schemas/deals.ts';

export const handler = memberRoute(
  { responses: { 200: DealResponse }, params: IdParams, body: CloseDealBody },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(200, await closeDeal(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch })),
  { reads: dealOfPath },
);
