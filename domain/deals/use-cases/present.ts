/**
 * Turns stored deals into what callers see: adds what follows from the catalog (registration
 * eligibility needs the solutions' incentive flags), with one solution lookup per batch, and on the
 * host's deals the partners' registrations as submitted.
 */
import type { Deal, Solution } from '../../model.ts';
import type { DealView, Deps, StoredDeal, SubmittedRegistration } from '../../ports.ts';
import { isHostDeal, registrationView } from '../rules/registration.ts';

/**
 * The registrations a host reviews through its deal: each registering partner's own deal, read as
 * it is now (its submission lives there, so a re-submission shows at once and no copy grows the
 * other deals of the engagement).
 */
const submittedRegistrations = async (deps: Deps, deal: Deal): Promise<SubmittedRegistration[]> => {
  if (!isHostDeal(deal)) return [];
  const registering = Object.values(deal.participants).filter(
    (participant) => participant.orgId !== deal.orgId && participant.registration,
  );
  const partners = await Promise.all(
    registering.map((participant) => deps.deals.get(participant.orgId, participant.dealId, '')),
  );
  return registering.flatMap((participant, index) => {
    const partner = partners[index]?.deal;
    if (!partner?.registration) return [];
    return [
      {
        orgId: participant.orgId,
        orgName: participant.orgName,
        registration: partner.registration,
        deal: { value: partner.value, closeDate: partner.closeDate, solutions: partner.solutions },
      },
    ];
  });
};

/** Adds what follows from the catalog to stored deals: one solution lookup for the whole batch. */
export const presentDeals = async (deps: Deps, stored: readonly StoredDeal[]): Promise<DealView[]> => {
  const ids = [...new Set(stored.flatMap(({ deal }) => deal.solutions))];
  const [solutions, registrations] = await Promise.all([
    ids.length > 0 ? deps.solutions.getMany(ids) : Promise.resolve([]),
    Promise.all(stored.map(({ deal }) => submittedRegistrations(deps, deal))),
  ]);
  const eligible = new Set(
    solutions.filter((solution: Solution) => solution.incentiveEligible).map((solution) => solution.id),
  );
  return stored.map((view, index) => ({
    ...view,
    registration: registrationView(
      view.deal,
      view.deal.solutions.some((id) => eligible.has(id)),
    ),
    registrations: registrations[index] ?? [],
  }));
};

export const presentDeal = async (deps: Deps, stored: StoredDeal): Promise<DealView> => {
  const [view] = await presentDeals(deps, [stored]);
  return view as DealView;
};
