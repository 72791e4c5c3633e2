import { findCustomers } from '#domain/directory/customers.ts';
import { memberRoute } from '../route.ts';
import { CustomerPage, customerSearch, customerView, FindCustomersQuery } from '../schemas/directory.ts';

export const handler = memberRoute(
  {
    summary: 'Find customers',
    description:
      'Active customers of one `country` by name prefix `q` (case-insensitive), or the one holding a D-U-N-S number (`duns`); paged.',
    responses: { 200: CustomerPage },
    query: FindCustomersQuery,
  },
  async ({ actor, deps, query, page, pageBody }) => {
    const found = await findCustomers(deps, actor, {
      search: customerSearch(query),
      page: page(query.limit, query.cursor),
    });
    return { status: 200, body: pageBody(found, customerView) };
  },
);
