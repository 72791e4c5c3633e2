import { setFavorite } from '#domain/deals/use-cases/favorites.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';

export const handler = memberRoute(
  {
    summary: 'Remove the favorite mark',
    description: "Removes the calling user's mark; idempotent (204).",
    responses: { 204: null },
    params: IdParams,
  },
  async ({ deps, actor, params }) => {
    await setFavorite(deps, actor, { dealId: params.id, favorite: false });
    return { status: 204 };
  },
  { reads: dealOfPath },
);
