import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { UpdateDealBody } from '../schemas/deals/requests.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Edit a deal',
    description:
      "Changes the deal's own fields; `If-Match` guards against lost updates (412). A terminal deal answers 409.",
    examples: {
      forecast: {
        summary: 'Move the close date and the value',
        value: { closeDate: '2030-09-30', value: { amount: 150000, currency: 'EUR' } },
      },
    },
    responses: { 200: DealResponse },
    params: IdParams,
    body: UpdateDealBody,
  },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(200, await updateDeal(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch })),
  { reads: dealOfPath },
);
