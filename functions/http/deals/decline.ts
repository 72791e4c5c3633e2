import { authorizeAnswer, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { DeclineBody } from '../schemas/deals/requests.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Decline an invitation',
    description:
      'The invitee declines its received deal with a reason; the deal becomes `declined` (terminal) and the inviter is told by email.',
    examples: {
      notAFit: {
        summary: 'Decline with a reason',
        value: { reason: 'not-a-fit', notes: 'We do not serve this region.' },
      },
    },
    authorize: ({ deps, actor, params }) => authorizeAnswer(deps, actor, { dealId: params.id }),
    responses: { 200: DealResponse },
    params: IdParams,
    body: DeclineBody,
  },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(
      200,
      await declineInvitation(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch }),
    ),
  { reads: dealOfPath },
);
