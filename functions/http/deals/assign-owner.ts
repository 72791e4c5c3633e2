import { assignOwner, authorizeAssignOwner } from '#domain/deals/use-cases/owner.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { AssignOwnerBody } from '../schemas/deals/requests.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: "Set the deal's owner",
    description:
      "Makes a current member of the deal's organization who may see the deal its owner (422 `not-eligible-owner` for anyone else). For the organization's org-admins and referrals-admins, and the deal's current owner. The new owner is emailed; webhooks receive `deal.owner-changed`.",
    examples: {
      member: {
        summary: 'A member of the org becomes the owner',
        value: { email: 'admin@fabrikam.example' },
      },
    },
    authorize: ({ deps, actor, params }) => authorizeAssignOwner(deps, actor, { dealId: params.id }),
    responses: { 200: DealResponse },
    params: IdParams,
    body: AssignOwnerBody,
  },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(
      200,
      await assignOwner(deps, actor, { dealId: params.id, email: body.email, expectedVersion: ifMatch }),
    ),
  { reads: dealOfPath },
);
