/**
 * The deals' presenter: turns stored deals into what callers see (ports.ts `DealView`). It applies
 * the visibility rules (the deal's type from its participants, the other orgs only as far as the
 * deal's org may see them), adds what follows from the catalog (registration eligibility needs the
 * solutions' incentive flags) with one solution lookup per batch, and on the host's deals the
 * partners' registrations as submitted. The HTTP layer only maps this view to its response shape.
 */

import type { Deps } from '../../deps.ts';
import type { Solution } from '../../directory/model.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Deal, Participant, Registration, TeamMember } from '../model.ts';
import type { DealView, StoredDeal, SubmittedRegistration } from '../ports.ts';
import { dealActions } from '../rules/actions.ts';
import { dealType } from '../rules/deal-type.ts';
import { participantsSeenBy, teamsSeenBy } from '../rules/participants.ts';
import { isHostDeal, registrationView } from '../rules/registration.ts';
import { stageChoices } from '../rules/stages.ts';

/**
 * The deals of the partners that registered with the host, read as they are now: a registration's
 * submission lives on the partner's own deal
 * (docs/decisions/0051-registration-evidence-on-partner-deal.md), so a re-submission shows at once
 * and no copy grows the other deals of the engagement. Nothing for a deal that is not the host's.
 */
export const registeredPartnerDeals = async (
  deps: Deps,
  hostDeal: Deal,
): Promise<{ participant: Participant; deal: Deal }[]> => {
  if (!isHostDeal(hostDeal)) return [];
  const registering = Object.values(hostDeal.participants).filter(
    (participant) => participant.orgId !== hostDeal.orgId && participant.registration,
  );
  // No viewer: the favorite mark of another org's deal means nothing here.
  const partners = await Promise.all(
    registering.map((participant) => deps.deals.get(participant.orgId, participant.dealId, '')),
  );
  return registering.flatMap((participant, index) => {
    const deal = partners[index]?.deal;
    return deal?.registration ? [{ participant, deal }] : [];
  });
};

/**
 * The host sees the files a registration names by id and name; where their frozen copies live is
 * the attachments context's to know (listAttachments, downloadAttachment).
 */
const withoutCopies = (registration: Registration): Registration =>
  registration.attachments
    ? { ...registration, attachments: registration.attachments.map(({ id, fileName }) => ({ id, fileName })) }
    : registration;

const submittedRegistrations = async (deps: Deps, hostDeal: Deal): Promise<SubmittedRegistration[]> =>
  (await registeredPartnerDeals(deps, hostDeal)).map(({ participant, deal }) => ({
    orgId: participant.orgId,
    orgName: participant.orgName,
    registration: withoutCopies(deal.registration as Registration),
    deal: { value: deal.value, closeDate: deal.closeDate, solutions: deal.solutions },
  }));

/** The shared teams one deal shows, by org id. */
export type SeenTeams = Readonly<Record<string, TeamMember[]>>;

/**
 * The teams the deal's org sees of the other orgs (rules/participants.ts), in one read; none when it
 * sees none, so a deal with nobody else taking part costs no read.
 */
export const readSeenTeams = async (deps: Pick<Deps, 'deals'>, deal: Deal): Promise<SeenTeams> => {
  const orgIds = teamsSeenBy(deal);
  return orgIds.length > 0 ? deps.deals.sharedTeams(deal.engagementId, orgIds) : {};
};

/**
 * Adds what follows from the catalog to stored deals (one solution lookup for the whole batch) and
 * what `actor` may do to each. With `teams` each deal also shows the teams its org sees of the other
 * orgs: as given (read by the caller beside another request), or `read` here (one read per deal);
 * without it (a list page, a check before a write) those teams are empty, so a page costs no read
 * per deal (docs/decisions/0150-shared-teams-in-their-own-items.md).
 */
export const presentDeals = async (
  deps: Deps,
  actor: Actor,
  stored: readonly StoredDeal[],
  { teams }: { teams?: 'read' | readonly SeenTeams[] } = {},
): Promise<DealView[]> => {
  const ids = [...new Set(stored.flatMap(({ deal }) => deal.solutions))];
  const [solutions, registrations, seenTeams] = await Promise.all([
    ids.length > 0 ? deps.solutions.getMany(ids) : Promise.resolve([]),
    Promise.all(stored.map(({ deal }) => submittedRegistrations(deps, deal))),
    teams === 'read' ? Promise.all(stored.map(({ deal }) => readSeenTeams(deps, deal))) : teams,
  ]);
  const eligible = new Set(
    solutions.filter((solution: Solution) => solution.incentiveEligible).map((solution) => solution.id),
  );
  const now = deps.clock.now();
  return stored.map((view, index) => {
    const registration = registrationView(
      view.deal,
      view.deal.solutions.some((id) => eligible.has(id)),
    );
    const submitted = registrations[index] ?? [];
    return {
      ...view,
      type: dealType(view.deal),
      participants: participantsSeenBy(view.deal, seenTeams?.[index]),
      registration,
      registrations: submitted,
      actions: dealActions(actor, view.deal, {
        registration,
        registrations: submitted.map((entry) => entry.registration.status),
        now,
      }),
      stageChoices: stageChoices(view.deal),
    };
  });
};

/** One deal as `actor` sees it, with the teams its org sees: `teams` when the caller read them already. */
export const presentDeal = async (
  deps: Deps,
  actor: Actor,
  stored: StoredDeal,
  teams?: SeenTeams,
): Promise<DealView> => {
  const [view] = await presentDeals(deps, actor, [stored], { teams: teams ? [teams] : 'read' });
  return view as DealView;
};
