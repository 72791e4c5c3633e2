/**
 * The scheduled expiry job — docs/domain.md §3 and §7.
 * Input: none but the clock. Output: how many invitations it reminded and expired.
 * Rules: an invitation not answered 14 days after it was sent expires (inviting org notified); three
 * days before that its invitee is reminded, once. Each invitation carries its next action time in a
 * sparse index, so a run reads only the invitations it must act on. Every change is a conditional
 * write on the version the job read: a concurrent accept or decline wins or loses as a whole, and
 * two overlapping runs cannot expire or remind one invitation twice.
 */

import type { Deps } from '../../deps.ts';
import type { EventDraft } from '../../kernel/events.ts';
import { isConcurrentUpdate, retryOnConflict } from '../../kernel/retry.ts';
import type { Deal } from '../model.ts';
import { type DueAction, dueAction } from '../rules/expiry.ts';
import { SYSTEM_ACTOR } from '../rules/history.ts';
import { inviteeEvent } from '../rules/invitations.ts';
import { changePlan, versioned } from '../rules/plan.ts';
import { solutionKindsOf } from '../rules/solutions.ts';
import { commitPlan } from './write.ts';

const SETTLE_CONCURRENCY = 8;

export type ExpiryRun = { expired: number; reminded: number; skipped: number; read: number };

const eventsOf = ({ action, next }: DueAction): EventDraft[] => [
  inviteeEvent(action === 'expired' ? 'invitation.expired' : 'invitation.reminder', next),
];

/** Applies the due action to one deal, re-reading it when another writer got there first. */
const settle = async (deps: Deps, listed: Deal, now: string): Promise<DueAction['action'] | 'skipped'> => {
  let attempts = 0;
  try {
    return await retryOnConflict(deps.backoff, async () => {
      // The index is eventually consistent and answers race us: after a lost race, decide on the stored deal.
      const deal =
        attempts++ === 0 ? listed : (await deps.deals.get(listed.orgId, listed.id, SYSTEM_ACTOR.sub))?.deal;
      const due = deal && dueAction(deal, now);
      if (!deal || !due) return 'skipped';
      const next = versioned(deal, due.next, now);
      await commitPlan(
        deps,
        changePlan(deps.ids, {
          previous: deal,
          next,
          action: due.action,
          actor: undefined,
          events: eventsOf(due),
          ...(due.action === 'expired' ? { solutionKinds: await solutionKindsOf(deps, deal.solutions) } : {}),
        }),
      );
      return due.action;
    });
  } catch (error) {
    // Still contended after the whole budget: the next run picks it up again.
    if (isConcurrentUpdate(error)) return 'skipped';
    throw error;
  }
};

export const expireInvitations = async (
  deps: Deps,
  options: { pageSize?: number } = {},
): Promise<ExpiryRun> => {
  const now = deps.clock.now().toISOString();
  const run: ExpiryRun = { expired: 0, reminded: 0, skipped: 0, read: 0 };
  let after: Record<string, unknown> | undefined;
  do {
    const page = await deps.deals.dueInvitations(now, {
      limit: options.pageSize ?? 100,
      ...(after ? { after } : {}),
    });
    run.read += page.items.length;
    // Invitations are independent and every write is conditional, so a page settles a few at a time.
    for (let i = 0; i < page.items.length; i += SETTLE_CONCURRENCY) {
      const outcomes = await Promise.all(
        page.items.slice(i, i + SETTLE_CONCURRENCY).map((deal) => settle(deps, deal, now)),
      );
      for (const outcome of outcomes) run[outcome] += 1;
    }
    after = page.next;
  } while (after);
  return run;
};
