import { authorizeReview, reviewRegistration } from '#domain/deals/use-cases/registration.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { ReviewRegistrationBody } from '../schemas/deals/requests.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: "Review a partner's registration",
    description:
      "The host, through its own deal of the engagement, decides on a partner's registration: `in-review`, `action-required` (with a message), `approved` (closes the partner's deal) or `rejected`.",
    examples: {
      approve: {
        summary: "Approve a partner's registration",
        value: { orgId: '01JFABRIKAM0000000000000000', decision: 'approved' },
      },
      actionRequired: {
        summary: 'Ask the partner for more',
        value: {
          orgId: '01JFABRIKAM0000000000000000',
          decision: 'action-required',
          message: 'Please attach the signed order form.',
        },
      },
    },
    authorize: ({ deps, actor, params, body }) =>
      authorizeReview(deps, actor, { dealId: params.id, orgId: body.orgId }),
    responses: { 200: DealResponse },
    params: IdParams,
    body: ReviewRegistrationBody,
  },
  async ({ deps, actor, params, body }) =>
    dealResult(200, await reviewRegistration(deps, actor, { dealId: params.id, ...body })),
  { reads: dealOfPath },
);
