import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { AcceptBody, DealResponse, dealResult } from '../schemas/deals.ts';

export const handler = memberRoute(
  { responses: { 200: DealResponse }, params: IdParams, body: AcceptBody },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(
      200,
      await acceptInvitation(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch }),
    ),
  { reads: dealOfPath },
);
