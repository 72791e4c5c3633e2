/**
 * Close a deal as won or lost — docs/domain.md §3.
 * Input: `{ outcome: 'won' }` or `{ outcome: 'lost', reason, notes? }`.
 * Output: the terminal deal. Won sets stage `won` (probability 100); lost keeps the stage it reached
 * and records the reason. Rules: only `accepted` deals close; solution-assessment deals are won only
 * after negotiated (../rules/stages.ts). The engagement's other orgs see the new status. Invitations
 * the deal sent that are still `received` are withdrawn in the same transaction (each conditioned on
 * the invitee's deal as read, so an answer racing the close makes it run again on fresh state).
 */

import type { Deps } from '../../deps.ts';
import type { Actor } from '../../kernel/actor.ts';
import { ConflictError } from '../../kernel/errors.ts';
import { dealEvent, type EventDraft } from '../../kernel/events.ts';
import { type Deal, type LostReason, STAGE_PROBABILITY } from '../model.ts';
import type { DealView } from '../ports.ts';
import { inviteeEvent } from '../rules/invitations.ts';
import { nextVersion } from '../rules/plan.ts';
import { requireWinnable } from '../rules/stages.ts';
import { openInvitationsOf, withdrawalsOf } from './withdraw-invitation.ts';
import { authorizeDealChange, changeDeal, commitChange, type DealRef, readForChange } from './write.ts';

export type CloseDealInput = { outcome: 'won' } | { outcome: 'lost'; reason: LostReason; notes?: string };

const closed = (deal: Deal, input: CloseDealInput, now: Date): Deal => {
  const closedAt = now.toISOString();
  if (input.outcome === 'won') {
    requireWinnable(deal);
    return { ...deal, status: 'won', stage: 'won', probability: STAGE_PROBABILITY.won, closedAt };
  }
  if (deal.status !== 'accepted') {
    throw new ConflictError('invalid-transition', `A ${deal.status} deal cannot be lost; accept it first.`);
  }
  return {
    ...deal,
    status: 'lost',
    lost: { reason: input.reason, ...(input.notes ? { notes: input.notes } : {}) },
    closedAt,
  };
};

const events = (next: Deal): EventDraft[] =>
  next.status === 'won'
    ? [dealEvent('deal.won', next)]
    : [dealEvent('deal.lost', next, { detail: { reason: next.lost?.reason ?? 'other' } })];

export const closeDeal = (deps: Deps, actor: Actor, command: DealRef & CloseDealInput): Promise<DealView> =>
  changeDeal(deps, command.expectedVersion, async () => {
    const stored = await readForChange(deps, actor, command);
    const { deal } = stored;
    const now = deps.clock.now();
    const next = nextVersion(deal, closed(deal, command, now), now);
    const withdrawals = withdrawalsOf(await openInvitationsOf(deps, deal), now.toISOString());
    return commitChange(deps, actor, stored, next, {
      action: command.outcome,
      events: (next) => [
        ...events(next),
        ...withdrawals.map(({ next: withdrawn }) => inviteeEvent('invitation.withdrawn', withdrawn)),
      ],
      withdrawals,
    });
  });

/** Who may close the deal: whoever may change it (`authorizeDealChange`). */
export const authorizeCloseDeal = authorizeDealChange;
