import type { Deps } from '../../deps.ts';
import type { SolutionKind } from '../../directory/model.ts';
import { isOwnSolutionNotReady, isSolutionVisibleTo } from '../../directory/solutions.ts';
import type { Actor } from '../../kernel/actor.ts';
import { BusinessRuleError, ValidationError } from '../../kernel/errors.ts';

/**
 * The catalog rules of a deal's solutions (docs/domain.md §1–§3): each listed once, each existing and visible
 * to the org; the org's own solutions only when co-sell ready; an assessment type only for orgs with the capability, alone, and with an assessment
 * location. Returns whether the solutions make it a solution-assessment deal.
 */
export const checkDealSolutions = async (
  deps: Deps,
  actor: Actor,
  solutionIds: readonly string[],
  assessmentLocation: string | undefined,
): Promise<boolean> => {
  if (new Set(solutionIds).size !== solutionIds.length) {
    throw ValidationError.field('solutions', 'List each solution once.');
  }
  const found = await deps.solutions.getMany(solutionIds);
  const byId = new Map(found.map((solution) => [solution.id, solution]));
  const unknown = solutionIds.filter((id) => {
    const solution = byId.get(id);
    return !solution || !isSolutionVisibleTo(solution, actor);
  });
  if (unknown.length > 0) {
    throw new BusinessRuleError(
      'unknown-solution',
      `These solutions do not exist or are not available to you: ${unknown.join(', ')}.`,
    );
  }
  const notReady = found.filter((solution) => isOwnSolutionNotReady(solution, actor));
  if (notReady.length > 0) {
    throw new BusinessRuleError(
      'solution-not-co-sell-ready',
      `A deal takes only your co-sell-ready solutions; mark these co-sell ready first: ${notReady.map((s) => s.id).join(', ')}.`,
    );
  }
  const isAssessment = found.some((solution) => solution.kind === 'assessment');
  if (!isAssessment) {
    if (assessmentLocation !== undefined) {
      throw ValidationError.field(
        'assessmentLocation',
        'Only solution-assessment deals take an assessment location.',
      );
    }
    return false;
  }
  if (!actor.capabilities.includes('solution-assessment')) {
    throw new BusinessRuleError(
      'assessment-not-allowed',
      'Only orgs vetted for solution assessments may run them.',
    );
  }
  if (solutionIds.length !== 1) {
    throw new BusinessRuleError(
      'assessment-single-solution',
      'A solution-assessment deal has exactly one solution: the assessment type.',
    );
  }
  if (assessmentLocation === undefined) {
    throw ValidationError.field(
      'assessmentLocation',
      'A solution-assessment deal needs an assessment location.',
    );
  }
  return true;
};

/**
 * The catalog kind of each of the deal's solutions, by id: what an answer is counted by besides the
 * ids themselves (insights/signals.ts).
 */
export const solutionKindsOf = async (
  deps: Pick<Deps, 'solutions'>,
  solutionIds: readonly string[],
): Promise<Record<string, SolutionKind>> =>
  Object.fromEntries(
    (await deps.solutions.getMany(solutionIds)).map((solution) => [solution.id, solution.kind]),
  );
