import { createDeal } from '#domain/deals/use-cases/create-deal.ts';
import { presentDeal } from '#domain/deals/use-cases/present.ts';
import { memberRoute } from '../route.ts';
import { CreateDealBody, DealResponse, dealResult } from '../schemas/deals.ts';

export const handler = memberRoute(
  { responses: { 201: DealResponse }, body: CreateDealBody },
  async ({ deps, actor, body }) => {
    const deal = await createDeal(deps, actor, body);
    const result = dealResult(201, await presentDeal(deps, { deal, favorite: false }));
    return { ...result, headers: { ...result.headers, location: `/v1/deals/${deal.id}` } };
  },
);
