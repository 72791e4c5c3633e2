/**
 * Turns stored deals into what callers see: adds what follows from the catalog (registration
 * eligibility needs the solutions' incentive flags), with one solution lookup per batch.
 */
import type { Solution } from '../../model.ts';
import type { DealView, Deps, StoredDeal } from '../../ports.ts';
import { registrationView } from '../rules/registration.ts';

/** Adds what follows from the catalog to stored deals: one solution lookup for the whole batch. */
export const presentDeals = async (deps: Deps, stored: readonly StoredDeal[]): Promise<DealView[]> => {
  const ids = [...new Set(stored.flatMap(({ deal }) => deal.solutions))];
  const eligible = new Set(
    (ids.length > 0 ? await deps.solutions.getMany(ids) : [])
      .filter((solution: Solution) => solution.incentiveEligible)
      .map((solution) => solution.id),
  );
  return stored.map((view) => ({
    ...view,
    registration: registrationView(
      view.deal,
      view.deal.solutions.some((id) => eligible.has(id)),
    ),
  }));
};

export const presentDeal = async (deps: Deps, stored: StoredDeal): Promise<DealView> => {
  const [view] = await presentDeals(deps, [stored]);
  return view as DealView;
};
