import { acceptInvitation } from '#domain/deals/answer-invitation.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { AcceptBody, dealResult } from '../schemas/deals.ts';

export const handler = memberRoute(
  { params: IdParams, body: AcceptBody },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(200, await acceptInvitation(deps, actor, params.id, body, ifMatch)),
);
