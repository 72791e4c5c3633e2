/**
 * Answer an invitation: accept or decline the org's received deal — docs/domain.md §3–§4.
 * Accept input: `{ name?, value?, closeDate?, team? }` and any of the deal's texts (model.ts
 * `DEAL_TEXTS`) → `accepted` at stage
 * `accepted`. Decline input: `{ reason, notes? }` → `declined` (terminal).
 * Rules: only a `received` deal whose invitation has not expired; accept, decline and expiry of one
 * invitation exclude each other (the plan is conditioned on the version that was `received`). The
 * answer is counted for the org's responsiveness and its signal tallies, in the same transaction
 * (rules/plan.ts).
 */

import type { Deps } from '../../deps.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { Money } from '../../kernel/money.ts';
import {
  type DealTexts,
  type DeclineReason,
  givenTexts,
  STAGE_PROBABILITY,
  type TeamMember,
} from '../model.ts';
import type { DealView } from '../ports.ts';
import { requireFutureDate, requireSelfOnTeam } from '../rules/checks.ts';
import { answered, inviteeEvent, requireOpenInvitation } from '../rules/invitations.ts';
import { ownedBy, selfOwner } from '../rules/owner.ts';
import { nextVersion } from '../rules/plan.ts';
import { solutionKindsOf } from '../rules/solutions.ts';
import { authorizeDealChange, changeDeal, commitChange, type DealRef, readForChange } from './write.ts';

export type AcceptInput = DealTexts & {
  name?: string;
  value?: Money;
  closeDate?: string;
  team?: TeamMember[];
};

export type DeclineInput = { reason: DeclineReason; notes?: string };

export const acceptInvitation = async (
  deps: Deps,
  actor: Actor,
  command: DealRef & AcceptInput,
): Promise<DealView> => {
  const { name, value, closeDate, team } = command;
  if (team) requireSelfOnTeam(actor, team);
  return changeDeal(deps, command.expectedVersion, async () => {
    const stored = await readForChange(deps, actor, command);
    const { deal } = stored;
    const now = deps.clock.now();
    requireOpenInvitation(deal, now);
    if (!team) requireSelfOnTeam(actor, deal.team);
    if (closeDate !== undefined) requireFutureDate(closeDate, now, 'closeDate');
    const next = nextVersion(
      deal,
      {
        ...deal,
        ...(name !== undefined ? { name } : {}),
        ...(value !== undefined ? { value } : {}),
        ...(closeDate !== undefined ? { closeDate } : {}),
        ...givenTexts(command, { keepEmpty: true }),
        ...(team !== undefined ? { team } : {}),
        // The person who takes the invitation on answers for it, unless someone already does.
        ...(deal.owner ? {} : ownedBy(selfOwner(actor))),
        status: 'accepted',
        stage: 'accepted',
        probability: STAGE_PROBABILITY.accepted,
        invitation: answered(deal.invitation, now),
      },
      now,
    );
    return commitChange(deps, actor, stored, next, {
      action: 'accepted',
      events: (next) => [inviteeEvent('invitation.accepted', next)],
      solutionKinds: await solutionKindsOf(deps, deal.solutions),
    });
  });
};

export const declineInvitation = (
  deps: Deps,
  actor: Actor,
  command: DealRef & DeclineInput,
): Promise<DealView> =>
  changeDeal(deps, command.expectedVersion, async () => {
    const stored = await readForChange(deps, actor, command);
    const { deal } = stored;
    const now = deps.clock.now();
    requireOpenInvitation(deal, now);
    const next = nextVersion(
      deal,
      {
        ...deal,
        status: 'declined',
        declined: { reason: command.reason, ...(command.notes ? { notes: command.notes } : {}) },
        invitation: answered(deal.invitation, now),
      },
      now,
    );
    return commitChange(deps, actor, stored, next, {
      action: 'declined',
      events: (next) => [inviteeEvent('invitation.declined', next, { reason: command.reason })],
      solutionKinds: await solutionKindsOf(deps, deal.solutions),
    });
  });

/**
 * Who may accept or decline the invitation: whoever may change the org's received deal
 * (`authorizeDealChange`; a referral-user of its location, until answered).
 */
export const authorizeAnswer = authorizeDealChange;
