import { acceptInvitation, authorizeAnswer } from '#domain/deals/use-cases/answer-invitation.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { AcceptBody } from '../schemas/deals/requests.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Accept an invitation',
    description:
      'The invitee accepts its received deal, optionally setting its own name, value, close date, CRM id, campaign and team. The inviter is told by email.',
    examples: {
      asIs: { summary: 'Accept as offered', value: {} },
      withOwnFields: {
        summary: 'Accept with the own CRM id and team',
        value: {
          crmId: 'SF-0061',
          closeDate: '2030-06-30',
          team: [{ name: 'Adatum Admin', email: 'admin@adatum.example', phone: '+49 40 1' }],
        },
      },
    },
    authorize: ({ deps, actor, params }) => authorizeAnswer(deps, actor, { dealId: params.id }),
    responses: { 200: DealResponse },
    params: IdParams,
    body: AcceptBody,
  },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(
      200,
      await acceptInvitation(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch }),
    ),
  { reads: dealOfPath },
);
