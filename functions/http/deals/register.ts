import { authorizeRegisterDeal, registerDeal } from '#domain/deals/use-cases/registration.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { RegisterBody } from '../schemas/deals/requests.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Register a won deal with the host',
    description:
      'A partner registers its won co-sell deal with a signed contract, when the host took part and a solution is incentive eligible; the host reviews it.',
    examples: {
      withEvidence: {
        summary: 'Register a won deal with its signed order form',
        value: {
          contractSigned: true,
          contractValue: { amount: 118000, currency: 'EUR' },
          contractDate: '2030-06-15',
          purchaseOrder: 'PO-7731',
          attachments: ['01JATTACHMENT0000000000000'],
        },
      },
    },
    authorize: ({ deps, actor, params }) => authorizeRegisterDeal(deps, actor, { dealId: params.id }),
    responses: { 200: DealResponse },
    params: IdParams,
    body: RegisterBody,
  },
  async ({ deps, actor, params, body, ifMatch }) =>
    dealResult(
      200,
      await registerDeal(deps, actor, { dealId: params.id, ...body, expectedVersion: ifMatch }),
    ),
  { reads: dealOfPath },
);
