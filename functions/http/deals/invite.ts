import { authorizeInvite, inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { InviteBody } from '../schemas/deals/requests.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Invite partners or the host',
    description:
      'Invites partner orgs and/or the host to the deal: each invitee gets its own inbound deal (`received`) and 14 days to answer. An org already received or accepted is 409 `already-participant`. One org is invited to one engagement at most 3 times in 24 hours (each re-invitation after a decline, expiry or withdrawal counts): the 4th is 429 `invitation-limit` with `Retry-After`. An invitation within an hour of the last one emailed to that org is recorded but not emailed, nor is its withdrawal.',
    examples: {
      partner: {
        summary: 'Invite a partner with proposed terms',
        value: {
          partners: [
            {
              orgId: '01JADATUM000000000000000000',
              helpType: 'technical',
              notes: 'Need a data engineer',
              closeDate: '2030-06-30',
              value: { amount: 40000, currency: 'EUR' },
            },
          ],
        },
      },
      host: {
        summary: 'Bring in the host (the deal becomes co-sell)',
        value: { host: { helpType: 'architecture', notes: 'need an architect' } },
      },
    },
    authorize: ({ deps, actor, params }) => authorizeInvite(deps, actor, { dealId: params.id }),
    responses: { 200: DealResponse },
    params: IdParams,
    body: InviteBody,
  },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(
      200,
      await inviteToDeal(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch }),
    ),
  { reads: dealOfPath },
);
