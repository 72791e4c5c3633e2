import { registerDeal } from '#domain/deals/use-cases/registration.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { DealResponse, dealResult, RegisterBody } from '../schemas/deals.ts';

export const handler = memberRoute(
  { responses: { 200: DealResponse }, params: IdParams, body: RegisterBody },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(
      200,
      await registerDeal(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch }),
    ),
  { reads: dealOfPath },
);
