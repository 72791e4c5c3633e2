import { correctCustomer } from '#domain/directory/customers.ts';
import { memberRoute } from '../route.ts';
import { IdParams } from '../schemas/common.ts';
import { CorrectCustomerBody, CustomerView, customerView } from '../schemas/directory.ts';

export const handler = memberRoute(
  {
    summary: 'Correct a customer',
    description:
      "Corrects a directory entry: its creating org's admins or the host's admins. A D-U-N-S number another active customer holds is 409; `duns: null` removes a wrong number.",
    examples: {
      address: {
        summary: "Correct a customer's address",
        value: { address: 'Maria-Theresien-Strasse 18, 6020 Innsbruck' },
      },
    },
    responses: { 200: CustomerView },
    body: CorrectCustomerBody,
    params: IdParams,
  },
  async ({ actor, deps, body, params }) => ({
    status: 200,
    body: customerView(await correctCustomer(deps, actor, { ...body, id: params.id })),
  }),
);
