import { ownerCandidates } from '#domain/deals/use-cases/owner.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { OwnerCandidates } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Who may own the deal',
    description:
      "The organization's active members eligible to own the deal (who may see it), in email order: the choices of `PUT /v1/deals/{id}/owner`. For those who may set the owner.",
    responses: { 200: OwnerCandidates },
    params: IdParams,
  },
  async ({ deps, actor, params }) => ({
    status: 200,
    body: { items: await ownerCandidates(deps, actor, params.id) },
  }),
  { reads: dealOfPath },
);
