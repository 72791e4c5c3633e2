import { authorizeCloseDeal, closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { CloseDealBody } from '../schemas/deals/requests.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Close a deal as won or lost',
    description: 'Closes an open deal: `won`, or `lost` with a reason. A terminal deal answers 409.',
    examples: {
      won: { summary: 'Close the deal as won', value: { outcome: 'won' } },
      lost: {
        summary: 'Close the deal as lost, with the reason',
        value: { outcome: 'lost', reason: 'lost-to-competitor', notes: 'Price' },
      },
    },
    authorize: ({ deps, actor, params }) => authorizeCloseDeal(deps, actor, { dealId: params.id }),
    responses: { 200: DealResponse },
    params: IdParams,
    body: CloseDealBody,
  },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(200, await closeDeal(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch })),
  { reads: dealOfPath },
);
