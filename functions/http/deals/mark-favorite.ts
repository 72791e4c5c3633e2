import { setFavorite } from '#domain/deals/use-cases/favorites.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';

export const handler = memberRoute(
  {
    summary: 'Mark a deal as favorite',
    description: 'Marks the deal for the calling user; idempotent (204).',
    responses: { 204: null },
    params: IdParams,
    noBody: true,
  },
  async ({ deps, actor, params }) => {
    await setFavorite(deps, actor, { dealId: params.id, favorite: true });
    return { status: 204 };
  },
  { reads: dealOfPath },
);
