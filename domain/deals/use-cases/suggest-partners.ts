/**
 * Partner suggestions for a deal — docs/domain.md §8, docs/api.md `GET /v1/deals/{id}/partner-suggestions`.
 * Input: the deal, how many (1–25), and optionally the help type the inviter will ask for.
 * Output: partner orgs to invite, best first, each with its score, reasons and co-sell-ready
 * solutions, and what the ranking rests on (`similar-deals`, or `responsiveness` when no candidate
 * has answered a deal like this one yet).
 * Rules: a member who may invite partners from the deal (a deal they cannot see is a 404; one that
 * cannot invite partners answers as an invitation would: 409 or 422). Candidates are the partner
 * orgs with a co-sell-ready solution, never the deal's own org nor an org that takes part in the
 * engagement or still has its invitation open. Scoring: insights/suggestions.ts.
 *
 * Reads, whatever the history: the deal, the deal's solutions, the co-sell-ready partner
 * solutions (a page per 500), each candidate's responsiveness counters, one partition per feature
 * value of the deal, and the suggested orgs' names.
 */

import type { Deps } from '../../deps.ts';
import type { Solution } from '../../directory/model.ts';
import { summarize, windowStart } from '../../insights/responsiveness.ts';
import { featuresOf } from '../../insights/signals.ts';
import {
  type Candidate,
  rankCandidates,
  type ScoredCandidate,
  type SuggestionBasis,
  scoringDay,
} from '../../insights/suggestions.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { HelpType } from '../model.ts';
import { mayBeInvited, requirePartnerInviter } from '../rules/invitations.ts';
import { findVisibleDeal } from './read-deals.ts';

export const DEFAULT_SUGGESTIONS = 10;
export const MAX_SUGGESTIONS = 25;
/** Co-sell-ready partner solutions read per page, and the most read: the ecosystem's catalog, not its history. */
const SOLUTION_PAGE = 500;
const MAX_SOLUTION_PAGES = 4;

export type PartnerSuggestion = Omit<ScoredCandidate, 'orgId' | 'affinity' | 'responsiveness'> & {
  org: { id: string; name: string };
};

export type PartnerSuggestions = { basis: SuggestionBasis; items: PartnerSuggestion[] };

/** The co-sell-ready partner solutions of every org but the caller's, grouped by org. */
const ecosystem = async (deps: Deps, actor: Actor): Promise<Map<string, Solution[]>> => {
  const byOrg = new Map<string, Solution[]>();
  let after: Record<string, unknown> | undefined;
  let pages = 0;
  do {
    const page = await deps.solutions.list(
      { coSellReadyPartnersExcept: actor.orgId },
      { limit: SOLUTION_PAGE, ...(after ? { after } : {}) },
    );
    for (const solution of page.items) {
      byOrg.set(solution.ownerOrgId, [...(byOrg.get(solution.ownerOrgId) ?? []), solution]);
    }
    after = page.next;
  } while (after && ++pages < MAX_SOLUTION_PAGES);
  return byOrg;
};

export const suggestPartners = async (
  deps: Deps,
  actor: Actor,
  dealId: string,
  options: { limit?: number; helpType?: HelpType } = {},
): Promise<PartnerSuggestions> => {
  const { deal } = await findVisibleDeal(deps, actor, dealId);
  requirePartnerInviter(deal);
  const limit = Math.min(Math.max(options.limit ?? DEFAULT_SUGGESTIONS, 1), MAX_SUGGESTIONS);
  const now = deps.clock.now();

  const [solutionsByOrg, dealSolutions] = await Promise.all([
    ecosystem(deps, actor),
    deps.solutions.getMany(deal.solutions),
  ]);
  const candidates: Candidate[] = [...solutionsByOrg]
    .filter(([orgId]) => orgId !== deal.orgId && mayBeInvited(deal, orgId))
    .map(([orgId, solutions]) => ({ orgId, solutions: solutions.map(({ id, name }) => ({ id, name })) }));
  const features = featuresOf({
    location: deal.location,
    solutions: deal.solutions,
    kinds: dealSolutions.map((solution) => solution.kind),
    helpType: options.helpType,
    value: deal.value,
  });
  const from = windowStart(now);
  const [counters, tallies] = await Promise.all([
    candidates.length > 0
      ? deps.responsiveness.counters(
          candidates.map((c) => c.orgId),
          from,
          now.toISOString().slice(0, 10),
        )
      : Promise.resolve(new Map()),
    candidates.length > 0 ? deps.signals.tallies(features) : Promise.resolve([]),
  ]);
  const { basis, ranked } = rankCandidates({
    candidates,
    features,
    dealSolutionIds: deal.solutions,
    tallies,
    responsiveness: new Map(
      candidates.map((c) => [c.orgId, summarize(counters.get(c.orgId) ?? new Map(), from)]),
    ),
    now: scoringDay(now),
  });
  const top = ranked.slice(0, limit);
  const names = new Map((await deps.orgs.getMany(top.map((c) => c.orgId))).map((org) => [org.id, org.name]));
  return {
    basis,
    items: top.flatMap(({ orgId, score, reasons, solutions }) => {
      const name = names.get(orgId);
      return name === undefined ? [] : [{ org: { id: orgId, name }, score, reasons, solutions }];
    }),
  };
};
