/**
 * How a deal use case changes a deal, one round at a time, in one direction: read the caller's deal,
 * check the client's expected version, refuse terminal deals, decide the next state and its plan
 * (rules/plan.ts), and commit the plan, which the store conditions on the version that was read.
 * Without an expected version a concurrent writer makes the round run again from a fresh read after
 * a jittered pause (the change is decided again on fresh state, so nobody's update is lost;
 * domain/kernel/retry.ts owns the policy); with one, the client asked for exactly that version, so a
 * concurrent writer is a 412.
 */

import type { Deps } from '../../deps.ts';
import type { SolutionKind } from '../../directory/model.ts';
import type { Actor } from '../../kernel/actor.ts';
import { ConflictError, PreconditionFailedError } from '../../kernel/errors.ts';
import type { EventDraft } from '../../kernel/events.ts';
import { isConcurrentUpdate, retryOnConflict } from '../../kernel/retry.ts';
import { type Deal, isTerminal } from '../model.ts';
import type { DealView, StoredDeal } from '../ports.ts';
import { changePlan, type DealPlan, type NewInboundDeal, type OwnerCheck } from '../rules/plan.ts';
import { presentDeal, readSeenTeams } from './present.ts';
import { findVisibleDeal } from './read-deals.ts';

/** Which deal a command changes, and the version the client last saw of it (HTTP's If-Match). */
export type DealRef = { dealId: string; expectedVersion?: number | undefined };

/** Runs `round` until its commit lands; see the module comment for how a lost race ends. */
export const changeDeal = <T>(
  deps: Pick<Deps, 'backoff'>,
  expectedVersion: number | undefined,
  round: () => Promise<T>,
): Promise<T> =>
  retryOnConflict(deps.backoff, async () => {
    try {
      return await round();
    } catch (error) {
      if (expectedVersion !== undefined && isConcurrentUpdate(error)) throw new PreconditionFailedError();
      throw error;
    }
  });

/**
 * Who may change a deal, whatever the change: a member of the org that holds it who may see it (a
 * referral-user: its locations, and its team once answered), else 404 as for a deal that does not
 * exist. `readForChange` makes the same check in the round that decides; this alone is what an
 * Idempotency-Key replay must pass. It never refuses for the deal's state: the first request may
 * have changed that itself.
 */
export const authorizeDealChange = async (deps: Deps, actor: Actor, ref: Pick<DealRef, 'dealId'>) => {
  await findVisibleDeal(deps, actor, ref.dealId);
};

/**
 * The caller's deal as read for a change: visible to the caller, at the expected version, and open.
 * Terminal deals refuse every change unless the use case allows it (registration of won deals).
 */
export const readForChange = async (
  deps: Deps,
  actor: Actor,
  ref: DealRef,
  options: { allowTerminal?: boolean } = {},
): Promise<StoredDeal> => {
  const stored = await findVisibleDeal(deps, actor, ref.dealId);
  const { deal } = stored;
  if (ref.expectedVersion !== undefined && ref.expectedVersion !== deal.version) {
    throw new PreconditionFailedError();
  }
  if (isTerminal(deal.status) && !options.allowTerminal) {
    throw new ConflictError('terminal-deal', `The deal is ${deal.status}; it can no longer change.`);
  }
  return stored;
};

/** Commits a plan; a condition that no longer holds is a lost race, which `changeDeal` runs again. */
export const commitPlan = async (deps: Pick<Deps, 'deals'>, plan: DealPlan): Promise<void> => {
  const outcome = await deps.deals.commit(plan);
  if (outcome === 'conflict') {
    throw new ConflictError('concurrent-update', 'The deal changed while this change was being written.');
  }
  // Not retried here: the decision was made for a membership that is gone or changed, and only the
  // next request (which reads the membership afresh) may decide again.
  if (outcome === 'membership-changed') {
    throw new ConflictError(
      'membership-changed',
      'Your membership changed while this change was being written; nothing was written.',
    );
  }
};

/** What a change of the caller's deal records besides its next state: the action and its events. */
export type DealChange = {
  action: string;
  events: (next: Deal) => readonly EventDraft[];
  /** Invitations sent with the change: each invitee's new inbound deal. */
  invitees?: readonly NewInboundDeal[];
  /** Received invitations the change withdraws (rules/plan.ts `withdrawnDeal`). */
  withdrawals?: readonly { previous: Deal; next: Deal }[];
  /** The new owner's membership as read (rules/plan.ts `ownerCheck`). */
  ownerCheck?: OwnerCheck;
  /** An answer's deal: its solutions' kinds, which the answer is counted by (rules/solutions.ts `solutionKindsOf`). */
  solutionKinds?: Readonly<Record<string, SolutionKind>>;
};

/**
 * Plans and commits the change of the caller's deal to `next` (see `nextVersion`) and presents the
 * deal as it now is; without a next state (the command changes nothing) nothing is written.
 */
export const commitChange = async (
  deps: Deps,
  actor: Actor,
  stored: StoredDeal,
  next: Deal | undefined,
  change: DealChange,
): Promise<DealView> => {
  if (!next) return presentDeal(deps, actor, stored);
  const plan = changePlan(deps.ids, {
    previous: stored.deal,
    next,
    action: change.action,
    actor,
    events: change.events(next),
    ...(change.invitees ? { invitees: change.invitees } : {}),
    ...(change.withdrawals ? { withdrawals: change.withdrawals } : {}),
    ...(change.solutionKinds ? { solutionKinds: change.solutionKinds } : {}),
  });
  const { deal } = plan.changed.next;
  // The plan writes no other org's team, so the teams the response shows are read beside the commit,
  // not after it: the write's answer costs no round trip more.
  const [, teams] = await Promise.all([
    commitPlan(deps, change.ownerCheck ? { ...plan, ownerCheck: change.ownerCheck } : plan),
    readSeenTeams(deps, deal),
  ]);
  return presentDeal(deps, actor, { ...stored, deal }, teams);
};
