import { searchPartners } from '#domain/insights/partners.ts';
import { memberRoute } from '../route.ts';
import { PartnerPage, PartnerSearchQuery, partnerResponse } from '../schemas/insights.ts';

export const handler = memberRoute(
  { responses: { 200: PartnerPage }, query: PartnerSearchQuery },
  async ({ deps, actor, query, page, pageBody }) => ({
    status: 200,
    body: pageBody(
      await searchPartners(deps, actor, query.q, page(query.limit, query.cursor)),
      partnerResponse,
    ),
  }),
);
