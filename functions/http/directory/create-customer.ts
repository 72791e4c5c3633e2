import { createCustomer } from '#domain/directory/customers.ts';
import { memberRoute } from '../route.ts';
import { CreateCustomerBody, CustomerView, customerView } from '../schemas/directory.ts';

export const handler = memberRoute(
  { responses: { 201: CustomerView }, body: CreateCustomerBody },
  async ({ actor, deps, body }) => ({
    status: 201,
    body: customerView(await createCustomer(deps, actor, body)),
  }),
);
