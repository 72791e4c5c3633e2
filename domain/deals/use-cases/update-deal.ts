/**
 * Edit a deal (PATCH) — docs/domain.md §3, docs/api.md.
 * Input: any of name, value, close date, team, solutions, the customer contact and consent, and the
 * deal's texts (model.ts `DEAL_TEXTS`); `null` clears a text. Location, the customer itself and the
 * assessment location are fixed at creation. The contact and consent stay editable so that a deal
 * created without a contact can still invite the host (the upgrade to co-sell); what an invited host
 * already received does not change.
 * Output: the updated deal (unchanged, and nothing written, when every value is already as asked).
 * Rules: only `accepted` deals (a received one is accepted first; terminal ones never change); the
 * same validation as creation; a solution-assessment deal stays one and an ordinary deal cannot turn
 * into one; a team that leaves out the owner, a referral-user who then no longer sees the deal,
 * leaves the deal unowned (rules/owner.ts).
 */

import type { Deps } from '../../deps.ts';
import type { Actor } from '../../kernel/actor.ts';
import { BusinessRuleError, ConflictError } from '../../kernel/errors.ts';
import { dealEvent } from '../../kernel/events.ts';
import type { Money } from '../../kernel/money.ts';
import {
  type CustomerContact,
  DEAL_TEXT_FIELDS,
  type Deal,
  type DealCustomer,
  type DealText,
  type TeamMember,
} from '../model.ts';
import type { DealView } from '../ports.ts';
import { requireFutureDate, requireSelfOnTeam } from '../rules/checks.ts';
import { mayOwn } from '../rules/owner.ts';
import { nextVersion } from '../rules/plan.ts';
import { checkDealSolutions } from '../rules/solutions.ts';
import { changeDeal, commitChange, type DealRef, readForChange } from './write.ts';

/** Any of the deal's editable fields; `null` clears a text (model.ts `DEAL_TEXTS`). */
export type UpdateDealInput = {
  name?: string;
  value?: Money;
  closeDate?: string;
  team?: TeamMember[];
  solutions?: string[];
  customer?: { contact?: CustomerContact; consentToShareWithHost?: boolean };
} & { [K in DealText]?: string | null };

const editedCustomer = (current: DealCustomer, edit: UpdateDealInput['customer']): DealCustomer => ({
  ...current,
  ...(edit?.contact !== undefined ? { contact: edit.contact } : {}),
  ...(edit?.consentToShareWithHost !== undefined
    ? { consentToShareWithHost: edit.consentToShareWithHost }
    : {}),
});

/** Whether the deal's owner may still own it as `proposed` would leave it (rules/owner.ts). */
const ownerStays = async (deps: Deps, proposed: Deal): Promise<boolean> =>
  proposed.owner !== undefined &&
  mayOwn(await deps.memberships.get(proposed.orgId, proposed.owner.email), proposed);

export const updateDeal = async (
  deps: Deps,
  actor: Actor,
  command: DealRef & UpdateDealInput,
): Promise<DealView> => {
  if (command.team) requireSelfOnTeam(actor, command.team);
  return changeDeal(deps, command.expectedVersion, async () => {
    const stored = await readForChange(deps, actor, command);
    const { deal } = stored;
    const now = deps.clock.now();
    if (deal.status !== 'accepted') {
      throw new ConflictError(
        'invalid-transition',
        `A ${deal.status} deal cannot be edited; accept it first.`,
      );
    }
    if (command.closeDate !== undefined && command.closeDate !== deal.closeDate) {
      requireFutureDate(command.closeDate, now, 'closeDate');
    }
    if (command.solutions) {
      const assessment = deal.assessmentLocation !== undefined;
      const solutions = await deps.solutions.getMany(command.solutions);
      if (solutions.some((solution) => solution.kind === 'assessment') !== assessment) {
        throw new BusinessRuleError(
          'deal-type-fixed',
          assessment
            ? 'A solution-assessment deal keeps exactly one assessment type as its solution.'
            : 'An assessment type can only be the solution of a deal created as a solution assessment.',
        );
      }
      await checkDealSolutions(deps, actor, command.solutions, deal.assessmentLocation);
    }
    const proposed: Deal = {
      ...deal,
      ...(command.name !== undefined ? { name: command.name } : {}),
      ...(command.value !== undefined ? { value: command.value } : {}),
      ...(command.closeDate !== undefined ? { closeDate: command.closeDate } : {}),
      ...(command.team !== undefined ? { team: command.team } : {}),
      ...(command.solutions !== undefined ? { solutions: command.solutions } : {}),
      ...(command.customer !== undefined
        ? { customer: editedCustomer(deal.customer, command.customer) }
        : {}),
    };
    for (const field of DEAL_TEXT_FIELDS) {
      const value = command[field];
      if (value === null) delete proposed[field];
      else if (value !== undefined) proposed[field] = value;
    }
    // A referral-user taken off the team no longer sees the deal, so no longer owns it.
    if (command.team && proposed.owner && !(await ownerStays(deps, proposed))) delete proposed.owner;
    const next = nextVersion(deal, proposed, now);
    return commitChange(deps, actor, stored, next, {
      action: 'updated',
      events: (next) => [
        dealEvent('deal.updated', next),
        ...(deal.owner && !next.owner ? [dealEvent('deal.owner-changed', next)] : []),
      ],
    });
  });
};
