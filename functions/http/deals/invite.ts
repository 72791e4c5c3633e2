import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { DealResponse, dealResult, InviteBody } from '../schemas/deals.ts';

export const handler = memberRoute(
  { responses: { 200: DealResponse }, params: IdParams, body: InviteBody },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(
      200,
      await inviteToDeal(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch }),
    ),
  { reads: dealOfPath },
);
