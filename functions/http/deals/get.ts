import { getVisibleDeal } from '#domain/deals/use-cases/read-deals.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

export const handler = memberRoute(
  {
    summary: 'Get a deal',
    description:
      "The caller's deal with its participants (other orgs by name, kind and status), registration and favorite mark. `ETag` carries the version for `If-Match`. Another org's deal is 404.",
    responses: { 200: DealResponse },
    params: IdParams,
  },
  async ({ deps, actor, params }) => dealResult(200, await getVisibleDeal(deps, actor, params.id)),
  { reads: dealOfPath },
);
