import { withdrawInvitation } from '#domain/deals/use-cases/withdraw-invitation.ts';
import { memberRoute } from '../route.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { InvitationParams } from '../schemas/deals/requests.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Withdraw an invitation',
    description:
      "The inviting org takes back an invitation that is still `received`: the invitee's deal becomes `withdrawn` (terminal) and its recipients are emailed. Answers the inviting deal.",
    responses: { 200: DealResponse },
    params: InvitationParams,
  },
  async ({ deps, actor, params, ifMatch }) =>
    dealResult(
      200,
      await withdrawInvitation(deps, actor, {
        dealId: params.id,
        orgId: params.orgId,
        expectedVersion: ifMatch,
      }),
    ),
);
