import { authorizeCreateDeal, createDeal } from '#domain/deals/use-cases/create-deal.ts';
import { presentDeal } from '#domain/deals/use-cases/present.ts';
import type { CallerReads } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { dealResult } from '../schemas/deals/presenter.ts';
import { CreateDealBody } from '../schemas/deals/requests.ts';
import { DealResponse } from '../schemas/deals/responses.ts';

/** The customer a create names, if its body has one (the body is validated only after this). */
const customerOf: CallerReads = ({ body }) => {
  const customer = (body as { customer?: { id?: unknown } } | undefined)?.customer;
  return typeof customer?.id === 'string' ? { customerId: customer.id } : {};
};

export const handler = memberRoute(
  {
    summary: 'Create a deal',
    description:
      "Creates an outbound deal of the caller's org (the caller must be on its team) and optionally invites partners and the host in the same request. Answers 201 with `Location` and `ETag`.",
    examples: {
      withInvitation: {
        summary: 'A deal with a partner invited in the same request',
        value: {
          customer: {
            id: '01JCUSTOMER0000000000000000',
            contact: { name: 'Ina Buyer', phone: '+49 89 1', email: 'ina@alpine.example' },
            consentToShareWithHost: true,
          },
          name: 'Alpine data platform',
          location: 'DE',
          value: { amount: 120000, currency: 'EUR' },
          closeDate: '2030-06-30',
          crmId: 'OPP-1042',
          team: [{ name: 'Fabrikam Admin', email: 'admin@fabrikam.example', phone: '+49 30 1' }],
          solutions: ['01JSOLUTION0000000000000000'],
          invite: {
            partners: [{ orgId: '01JADATUM000000000000000000', helpType: 'technical', notes: 'join us' }],
          },
        },
      },
    },
    authorize: ({ actor, body }) => authorizeCreateDeal(actor, body),
    responses: { 201: DealResponse },
    body: CreateDealBody,
  },
  async ({ deps, actor, body }) => {
    const deal = await createDeal(deps, actor, body);
    const result = dealResult(201, await presentDeal(deps, actor, { deal, favorite: false }));
    return { ...result, headers: { ...result.headers, location: `/v1/deals/${deal.id}` } };
  },
  // The customer is read with the caller: the only read before the transaction.
  { reads: customerOf },
);
