/**
 * The solution catalog (docs/domain.md §1, docs/api.md): partner orgs publish `partner` solutions; the host org
 * publishes `host` solutions and `assessment` types and alone decides `incentiveEligible`.
 */

import type { Deps } from '../deps.ts';
import { type Actor, requireRole } from '../kernel/actor.ts';
import {
  BusinessRuleError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../kernel/errors.ts';
import { LIMITS } from '../kernel/limits.ts';
import type { Page, PageRequest } from '../kernel/page.ts';
import { FieldErrors, isText } from '../kernel/validation.ts';
import type { Solution, SolutionKind } from './model.ts';
import type { ReadyCountChange, SolutionFilter } from './ports.ts';

/**
 * Whether the actor's org may see (and put on a deal) the solution: its own org's, the host's, the
 * assessment types, and other partners' only when they are co-sell ready.
 */
export const isSolutionVisibleTo = (solution: Solution, actor: Actor): boolean =>
  solution.ownerOrgId === actor.orgId ||
  solution.kind === 'host' ||
  solution.kind === 'assessment' ||
  (solution.kind === 'partner' && solution.coSellReady);

/** A partner solution that is co-sell ready puts its org in the co-sell ecosystem (docs/domain.md §8). */
const countsForEcosystem = (solution: Solution | undefined): boolean =>
  solution?.kind === 'partner' && solution.coSellReady;

/** How a write from `previous` (none for a new solution) to `next` moves its org's ready count. */
export const ecosystemChange = (previous: Solution | undefined, next: Solution): ReadyCountChange =>
  ((countsForEcosystem(next) ? 1 : 0) - (countsForEcosystem(previous) ? 1 : 0)) as ReadyCountChange;

/**
 * Whether a deal of the actor may name this solution of its own org: only a co-sell-ready one
 * ("my company's solutions: these are co-sell ready solutions"). Assessment types are the host's
 * catalog of assessments, not an org's co-sell offer.
 */
export const isOwnSolutionNotReady = (solution: Solution, actor: Actor): boolean =>
  solution.ownerOrgId === actor.orgId && solution.kind !== 'assessment' && !solution.coSellReady;

export type PublishSolutionInput = {
  name: string;
  coSellReady: boolean;
  kind?: SolutionKind;
  incentiveEligible?: boolean;
};

const hostOnly = (what: string) => new ForbiddenError('host-only', `Only the host org's admin may ${what}.`);

/**
 * Who may publish this solution: an org-admin; a partner org's only as kind `partner` and without
 * incentiveEligible (403 `host-only`).
 */
export const authorizePublishSolution = (
  actor: Actor,
  input: Pick<PublishSolutionInput, 'kind' | 'incentiveEligible'>,
): void => {
  requireRole(actor, 'org-admin');
  if (actor.orgKind === 'host') return;
  if ((input.kind ?? 'partner') !== 'partner') throw hostOnly(`publish ${input.kind} solutions`);
  if (input.incentiveEligible !== undefined) throw hostOnly('set incentiveEligible');
};

/**
 * publishSolution — input: name, coSellReady, optional kind and incentiveEligible. Output: the new
 * Solution, owned by the caller's org.
 * Rules: org-admin only. A partner org publishes kind `partner` (the default) and never sets
 * incentiveEligible (403 `host-only`). The host org publishes `host` (the default) or `assessment`
 * solutions and may set incentiveEligible; a host `partner` solution is a 422 `invalid-kind`.
 */
export const publishSolution = async (
  deps: Deps,
  actor: Actor,
  input: PublishSolutionInput,
): Promise<Solution> => {
  authorizePublishSolution(actor, input);
  const errors = new FieldErrors();
  errors.check(isText(input.name, LIMITS.name), 'name', 'Give a name of 1-200 characters.');
  errors.throwIfAny();

  const isHost = actor.orgKind === 'host';
  const kind: SolutionKind = input.kind ?? (isHost ? 'host' : 'partner');
  if (isHost && kind === 'partner') {
    throw new BusinessRuleError('invalid-kind', 'The host org publishes host solutions or assessment types.');
  }

  const now = deps.clock.now().toISOString();
  const solution: Solution = {
    id: deps.ids.next(),
    ownerOrgId: actor.orgId,
    kind,
    name: input.name.trim(),
    coSellReady: input.coSellReady,
    incentiveEligible: input.incentiveEligible ?? false,
    createdAt: now,
    updatedAt: now,
  };
  if ((await deps.solutions.create(solution, ecosystemChange(undefined, solution))) === 'exists')
    throw new ConflictError('already-exists', `Solution ${solution.id} exists.`);
  return solution;
};

export type UpdateSolutionInput = {
  id: string;
  name?: string;
  coSellReady?: boolean;
  incentiveEligible?: boolean;
};

/**
 * updateSolution — input: the solution id and at least one of name, coSellReady, incentiveEligible.
 * Output: the updated Solution.
 * Rules: org-admin only. The owner's admin changes name and coSellReady; only the host org's admin
 * changes incentiveEligible, on any solution it can see (403 `host-only` for others). A solution of
 * another org answers 404 to a partner admin, and to the host admin unless it is visible to the host
 * (isSolutionVisibleTo): a partner solution that is not co-sell ready is, outside its org, exactly a
 * missing id. The host admin gets 403 `not-owner` for name/coSellReady of a visible solution it does
 * not own. Optimistic concurrency: a write that lost a race is ConflictError('concurrent-update').
 */
export const updateSolution = async (
  deps: Deps,
  actor: Actor,
  input: UpdateSolutionInput,
): Promise<Solution> => {
  requireRole(actor, 'org-admin');
  const { id, ...changes } = input;
  if (Object.values(changes).every((value) => value === undefined)) {
    throw ValidationError.field('', 'Give at least one of name, coSellReady, incentiveEligible.');
  }
  const errors = new FieldErrors();
  if (changes.name !== undefined)
    errors.check(isText(changes.name, LIMITS.name), 'name', 'Give a name of 1-200 characters.');
  errors.throwIfAny();

  const isHost = actor.orgKind === 'host';
  const current = await deps.solutions.get(id);
  const ownOrg = current?.ownerOrgId === actor.orgId;
  if (!current || (!ownOrg && !(isHost && isSolutionVisibleTo(current, actor)))) {
    throw new NotFoundError('Solution');
  }
  if (changes.incentiveEligible !== undefined && !isHost) throw hostOnly('change incentiveEligible');
  const ownerChanges = changes.name !== undefined || changes.coSellReady !== undefined;
  if (ownerChanges && current.ownerOrgId !== actor.orgId) {
    throw new ForbiddenError(
      'not-owner',
      "Only the owner org's admin may change a solution's name or coSellReady.",
    );
  }

  const updated: Solution = {
    ...current,
    ...(changes.name === undefined ? {} : { name: changes.name.trim() }),
    ...(changes.coSellReady === undefined ? {} : { coSellReady: changes.coSellReady }),
    ...(changes.incentiveEligible === undefined ? {} : { incentiveEligible: changes.incentiveEligible }),
    updatedAt: deps.clock.now().toISOString(),
  };
  const outcome = await deps.solutions.update(updated, current.updatedAt, ecosystemChange(current, updated));
  if (outcome === 'missing') throw new NotFoundError('Solution');
  if (outcome === 'stale')
    throw new ConflictError('concurrent-update', 'The solution changed since it was read; retry.');
  return updated;
};

export const SOLUTION_OWNERS = ['mine', 'host', 'partners', 'assessment'] as const;
export type SolutionOwner = (typeof SOLUTION_OWNERS)[number];

const filterFor = (actor: Actor, owner: SolutionOwner): SolutionFilter => {
  switch (owner) {
    case 'mine':
      return { ownerOrgId: actor.orgId };
    case 'host':
      return { kind: 'host' };
    case 'assessment':
      return { kind: 'assessment' };
    case 'partners':
      return { coSellReadyPartnersExcept: actor.orgId };
  }
};

/**
 * listSolutions — input: which slice of the catalog (`mine`, `host`, `partners`, `assessment`) and a
 * page. Output: a page of solutions, oldest first.
 * Rules: any member; `partners` lists other partner orgs' co-sell-ready solutions only, so every
 * listed solution is visible to the caller (isSolutionVisibleTo).
 */
export const listSolutions = async (
  deps: Deps,
  actor: Actor,
  input: { owner: SolutionOwner; page: PageRequest },
): Promise<Page<Solution>> => deps.solutions.list(filterFor(actor, input.owner), input.page);
