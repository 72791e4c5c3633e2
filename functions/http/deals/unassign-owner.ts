import { assignOwner, authorizeAssignOwner } from '#domain/deals/use-cases/owner.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Leave the deal unowned',
    description:
      "Removes the deal's owner. For the organization's org-admins and referrals-admins, and the deal's current owner; webhooks receive `deal.owner-changed`.",
    authorize: ({ deps, actor, params }) => authorizeAssignOwner(deps, actor, { dealId: params.id }),
    responses: { 200: DealResponse },
    params: IdParams,
  },
  async ({ deps, actor, params, ifMatch }) =>
    dealResult(
      200,
      await assignOwner(deps, actor, { dealId: params.id, email: null, expectedVersion: ifMatch }),
    ),
  { reads: dealOfPath },
);
