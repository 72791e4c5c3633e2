import { reviewRegistration } from '#domain/deals/use-cases/registration.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { DealResponse, dealResult, ReviewRegistrationBody } from '../schemas/deals.ts';

export const handler = memberRoute(
  { responses: { 200: DealResponse }, params: IdParams, body: ReviewRegistrationBody },
  async ({ deps, actor, params, body }) =>
    dealResult(200, await reviewRegistration(deps, actor, { dealId: params.id, ...body })),
  { reads: dealOfPath },
);
