/**
 * The one way a deal changes: read it as the caller sees it, check the client's If-Match, refuse
 * terminal deals, compute the next state, and write it conditioned on the version that was read.
 * Without If-Match a concurrent writer makes us read again and re-apply after a jittered pause (the
 * change is recomputed from fresh state, so nobody's update is lost; domain/retry.ts owns the policy);
 * with If-Match the client asked for exactly that version, so a concurrent writer is a 412.
 */
import type { Actor } from '../../actor.ts';
import { ConflictError, PreconditionFailedError } from '../../errors.ts';
import { completeEvents, type EventDraft } from '../../events.ts';
import { type Deal, isTerminal } from '../../model.ts';
import type { DealUpdate, DealView, Deps, InvitationAnswer } from '../../ports.ts';
import { isConcurrentUpdate, retryOnConflict } from '../../retry.ts';
import { changedFields, historyActor, SYSTEM_ACTOR } from '../rules/history.ts';
import { withSelfParticipant } from '../rules/participants.ts';
import { presentDeal } from './present.ts';
import { findVisibleDeal } from './read-deals.ts';

/** The next state of a deal: versioned, stamped, and its own participant entry in step. */
export const versioned = (previous: Deal, proposed: Deal, at: string): Deal =>
  withSelfParticipant({ ...proposed, version: previous.version + 1, updatedAt: at });

/** The write of one change: the next state, its history entry, its events and the invitee's answer. */
export const updateOf = (
  deps: Pick<Deps, 'ids'>,
  change: {
    previous: Deal;
    next: Deal;
    action: string;
    /** The member making the change; undefined for the scheduled job. */
    actor: Actor | undefined;
    events: readonly EventDraft[];
    answer?: InvitationAnswer | undefined;
  },
): DealUpdate => ({
  previous: change.previous,
  next: change.next,
  history: {
    id: deps.ids.next(),
    dealId: change.previous.id,
    at: change.next.updatedAt,
    actor: change.actor ? historyActor(change.actor) : SYSTEM_ACTOR,
    action: change.action,
    changes: changedFields(change.previous, change.next),
  },
  ...(change.answer ? { answer: change.answer } : {}),
  events: completeEvents(
    change.events,
    change.next.updatedAt,
    deps.ids.next,
    change.actor && { sub: change.actor.sub, email: change.actor.email },
  ),
});

export type MutationOptions = {
  /** The history entry's action, e.g. `updated`, `stage-changed`. */
  action: string;
  /** The If-Match version, if the client sent one. */
  ifMatch: number | undefined;
  /** Terminal deals refuse every change unless the action says otherwise (registration of won deals). */
  allowTerminal?: boolean;
  /** Writes the change when it is more than the deal's own update (invitations); defaults to `deals.update`. */
  commit?: (update: DealUpdate) => Promise<void>;
  /** The events the change causes, computed from the state it saw; written to the outbox with it. */
  events?: (previous: Deal, next: Deal) => EventDraft[];
  /** Extra data the write carries (the invitee's answer), computed from the state the change saw. */
  answerOf?: (previous: Deal, next: Deal) => InvitationAnswer | undefined;
};

/**
 * Applies `change` to the caller's deal. `change` returns the next state (or the same object for
 * "nothing to do", which writes nothing) and throws domain errors for refused transitions.
 */
export const mutateDeal = async (
  deps: Deps,
  actor: Actor,
  dealId: string,
  options: MutationOptions,
  change: (deal: Deal, now: Date) => Deal | Promise<Deal>,
): Promise<DealView> =>
  retryOnConflict(deps.backoff, async () => {
    const view = await findVisibleDeal(deps, actor, dealId);
    const { deal } = view;
    if (options.ifMatch !== undefined && options.ifMatch !== deal.version)
      throw new PreconditionFailedError();
    if (isTerminal(deal.status) && !options.allowTerminal) {
      throw new ConflictError('terminal-deal', `The deal is ${deal.status}; it can no longer change.`);
    }
    const now = deps.clock.now();
    const proposed = await change(deal, now);
    const changes = changedFields(deal, proposed);
    if (proposed === deal || changes.length === 0) return presentDeal(deps, view);
    const next = versioned(deal, proposed, now.toISOString());
    const update = updateOf(deps, {
      previous: deal,
      next,
      action: options.action,
      actor,
      events: options.events?.(deal, next) ?? [],
      answer: options.answerOf?.(deal, next),
    });
    try {
      await (options.commit ?? ((u: DealUpdate) => deps.deals.update(u)))(update);
    } catch (error) {
      // The client asked for exactly the version it read: another writer got there first.
      if (options.ifMatch !== undefined && isConcurrentUpdate(error)) throw new PreconditionFailedError();
      throw error;
    }
    return presentDeal(deps, { ...view, deal: next });
  });
