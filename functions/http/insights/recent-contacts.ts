import { recentContacts } from '#domain/insights/contacts.ts';
import { memberRoute } from '../route.ts';
import { RecentContactsQuery, RecentContactsResponse } from '../schemas/insights.ts';

export const handler = memberRoute(
  {
    summary: 'Recent contacts',
    description: "Team members of the org's most recent deals, for filling in a deal team.",
    responses: { 200: RecentContactsResponse },
    query: RecentContactsQuery,
  },
  async ({ deps, actor, query }) => ({
    status: 200,
    body: { items: await recentContacts(deps, actor, query.limit) },
  }),
);
