import { createDeal } from '#domain/deals/use-cases/create-deal.ts';
import { presentDeal } from '#domain/deals/use-cases/present.ts';
import type { CallerReads } from '../middleware/membership.ts';
import { memberRoute } from '../route.ts';
import { CreateDealBody, DealResponse, dealResult } from '../schemas/deals.ts';

/** The customer a create names, if its body has one (the body is validated only after this). */
const customerOf: CallerReads = ({ body }) => {
  const customer = (body as { customer?: { id?: unknown } } | undefined)?.customer;
  return typeof customer?.id === 'string' ? { customerId: customer.id } : {};
};

export const handler = memberRoute(
  { responses: { 201: DealResponse }, body: CreateDealBody },
  async ({ deps, actor, body }) => {
    const deal = await createDeal(deps, actor, body);
    const result = dealResult(201, await presentDeal(deps, { deal, favorite: false }));
    return { ...result, headers: { ...result.headers, location: `/v1/deals/${deal.id}` } };
  },
  // The customer is read with the caller: the only read before the transaction.
  { reads: customerOf },
);
