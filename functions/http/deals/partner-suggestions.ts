import { suggestPartners } from '#domain/deals/use-cases/suggest-partners.ts';
import { dealOfPath } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { PartnerSuggestionsQuery, PartnerSuggestionsResponse } from '../schemas/insights.ts';

export const handler = memberRoute(
  {
    summary: 'Partners to invite to a deal',
    description:
      "Partner orgs of the co-sell ecosystem ranked for this deal: those that accepted deals like it (same location, solutions, help type, value of the same order) rank higher, those that declined them as not a fit lower, and quick answerers higher. Never the deal's own org nor an org already invited or taking part. Each suggestion says why in `reasons`, which never show another org's deals. The same data gives the same order. A deal that cannot invite partners answers as an invitation would (409 or 422).",
    responses: { 200: PartnerSuggestionsResponse },
    params: IdParams,
    query: PartnerSuggestionsQuery,
  },
  async ({ deps, actor, params, query }) => ({
    status: 200,
    body: await suggestPartners(deps, actor, params.id, {
      limit: query.limit,
      ...(query.helpType ? { helpType: query.helpType } : {}),
    }),
  }),
  { reads: dealOfPath },
);
