import { searchPartners } from '#domain/insights/partners.ts';
import { memberRoute } from '../route.ts';
import { PartnerPage, PartnerSearchQuery, partnerResponse } from '../schemas/insights.ts';

export const handler = memberRoute(
  {
    summary: 'Search partners to invite',
    description:
      'Partner orgs by name prefix, ranked by how responsive they were to invitations over the last 90 days.',
    responses: { 200: PartnerPage },
    query: PartnerSearchQuery,
  },
  async ({ deps, actor, query, page, pageBody }) => ({
    status: 200,
    body: pageBody(
      await searchPartners(deps, actor, query.q, page(query.limit, query.cursor)),
      partnerResponse,
    ),
  }),
);
