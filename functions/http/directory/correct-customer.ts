import { correctCustomer } from '#domain/directory/customers.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { CorrectCustomerBody, CustomerView, customerView } from '../schemas/directory.ts';

export const handler = memberRoute(
  {
    responses: { 200: CustomerView },
    body: CorrectCustomerBody,
    params: IdParams,
    summary: "Correct a directory entry (its creating org's admins or the host's admins)",
  },
  async ({ actor, deps, body, params }) => ({
    status: 200,
    body: customerView(await correctCustomer(deps, actor, { ...body, id: params.id })),
  }),
);
