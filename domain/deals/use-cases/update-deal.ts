/**
 * Edit a deal (PATCH) — design §3, api.md.
 * Input: any of name, value, close date, notes, CRM ID, campaign ID, team, solutions; `null` clears an
 * optional text. Location and the assessment location are fixed at creation.
 * Output: the updated deal (unchanged, and nothing written, when every value is already as asked).
 * Rules: only `accepted` deals (a received one is accepted first; terminal ones never change); the
 * same validation as creation; a solution-assessment deal stays one and an ordinary deal cannot turn
 * into one.
 */
import type { Actor } from '../../actor.ts';
import { BusinessRuleError, ConflictError } from '../../errors.ts';
import { dealEvent } from '../../events.ts';
import type { Deal, Money, TeamMember } from '../../model.ts';
import type { DealView, Deps } from '../../ports.ts';
import { requireFutureDate, requireSelfOnTeam } from '../rules/checks.ts';
import { checkDealSolutions } from '../rules/solutions.ts';
import { mutateDeal } from './write.ts';

export type UpdateDealInput = {
  name?: string;
  value?: Money;
  closeDate?: string;
  notes?: string | null;
  crmId?: string | null;
  campaignId?: string | null;
  team?: TeamMember[];
  solutions?: string[];
};

type OptionalText = 'notes' | 'crmId' | 'campaignId';
const OPTIONAL_TEXTS: readonly OptionalText[] = ['notes', 'crmId', 'campaignId'];

export const updateDeal = async (
  deps: Deps,
  actor: Actor,
  dealId: string,
  input: UpdateDealInput,
  ifMatch: number | undefined,
): Promise<DealView> => {
  if (input.team) requireSelfOnTeam(actor, input.team);
  const events = (_: Deal, next: Deal) => [dealEvent('deal.updated', next)];
  return mutateDeal(deps, actor, dealId, { action: 'updated', ifMatch, events }, async (deal, now) => {
    if (deal.status !== 'accepted') {
      throw new ConflictError(
        'invalid-transition',
        `A ${deal.status} deal cannot be edited; accept it first.`,
      );
    }
    if (input.closeDate !== undefined && input.closeDate !== deal.closeDate) {
      requireFutureDate(input.closeDate, now, 'closeDate');
    }
    if (input.solutions) {
      const assessment = deal.assessmentLocation !== undefined;
      const solutions = await deps.solutions.getMany(input.solutions);
      if (solutions.some((solution) => solution.kind === 'assessment') !== assessment) {
        throw new BusinessRuleError(
          'deal-type-fixed',
          assessment
            ? 'A solution-assessment deal keeps exactly one assessment type as its solution.'
            : 'An assessment type can only be the solution of a deal created as a solution assessment.',
        );
      }
      await checkDealSolutions(deps, actor, input.solutions, deal.assessmentLocation);
    }
    const next: Deal = {
      ...deal,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.value !== undefined ? { value: input.value } : {}),
      ...(input.closeDate !== undefined ? { closeDate: input.closeDate } : {}),
      ...(input.team !== undefined ? { team: input.team } : {}),
      ...(input.solutions !== undefined ? { solutions: input.solutions } : {}),
    };
    for (const field of OPTIONAL_TEXTS) {
      const value = input[field];
      if (value === null) delete next[field];
      else if (value !== undefined) next[field] = value;
    }
    return next;
  });
};
