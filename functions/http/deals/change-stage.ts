import { authorizeChangeStage, changeStage } from '#domain/deals/use-cases/change-stage.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { ChangeStageBody } from '../schemas/deals/requests.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Change the sales stage',
    description:
      'Moves the deal to a standard stage, or to a company stage with its own probability (mapped to a standard stage).',
    examples: {
      stage: { summary: 'Move the deal to a standard stage', value: { stage: 'qualified' } },
      companyStage: {
        summary: "The org's own stage name and probability",
        value: { stageName: 'Technical win', probability: 60 },
      },
    },
    authorize: ({ deps, actor, params }) => authorizeChangeStage(deps, actor, { dealId: params.id }),
    responses: { 200: DealResponse },
    params: IdParams,
    body: ChangeStageBody,
  },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(200, await changeStage(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch })),
  { reads: dealOfPath },
);
