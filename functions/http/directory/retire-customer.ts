import { retireCustomer } from '#domain/directory/customers.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';

export const handler = memberRoute(
  {
    responses: { 204: null },
    params: IdParams,
    summary: "Retire a wrong directory entry (the host's admins); deals that name it keep their copy",
  },
  async ({ actor, deps, params }) => {
    await retireCustomer(deps, actor, { id: params.id });
    return { status: 204 };
  },
);
