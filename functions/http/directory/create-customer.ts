import { authorizeCreateCustomer, createCustomer } from '#domain/directory/customers.ts';
import { memberRoute } from '../route.ts';
import { CreateCustomerBody, CustomerView, customerView } from '../schemas/directory.ts';

export const handler = memberRoute(
  {
    summary: 'Add a customer',
    description:
      'Adds a customer to the shared directory. A D-U-N-S number can belong to one active customer only (409 names the holder).',
    examples: {
      customer: {
        summary: 'A customer with its D-U-N-S number',
        value: {
          name: 'Alpine Ski House',
          country: 'AT',
          address: 'Hauptplatz 1, 6020 Innsbruck',
          duns: '150483782',
        },
      },
    },
    authorize: ({ actor }) => authorizeCreateCustomer(actor),
    responses: { 201: CustomerView },
    body: CreateCustomerBody,
  },
  async ({ actor, deps, body }) => ({
    status: 201,
    body: customerView(await createCustomer(deps, actor, body)),
  }),
);
