import { retireCustomer } from '#domain/directory/customers.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';

export const handler = memberRoute(
  {
    summary: 'Retire a customer',
    description:
      "The host's admins retire a wrong directory entry: no search finds it any more; deals that name it keep their copy.",
    responses: { 204: null },
    params: IdParams,
  },
  async ({ actor, deps, params }) => {
    await retireCustomer(deps, actor, { id: params.id });
    return { status: 204 };
  },
);
