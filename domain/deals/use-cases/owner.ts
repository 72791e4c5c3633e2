/**
 * The deal's owner — docs/domain.md §1, §5. Rules: ../rules/owner.ts.
 *
 * - assignOwner — input: the deal, the new owner's email (or null: leave it unowned), the version the
 *   client last saw. Output: the deal. Refused: 404 when the caller may not see the deal, 403 unless
 *   the caller is one of the org's admins or the deal's owner, 422 `not-eligible-owner` when the
 *   address is not an active member of the org who may see the deal. The write is conditioned on the
 *   new owner's membership as read (rules/plan.ts `ownerCheck`). A history entry records the change;
 *   `deal.owner-changed` goes to the outbox, which emails the new owner and tells webhooks.
 *   Terminal deals keep an owner too: whoever answers for a won deal may change.
 * - ownerCandidates — who the caller may make the deal's owner: the org's active members eligible
 *   for it, in email order. For those who may assign the owner only.
 * - releaseOwnedDeals — every deal of the org owned by `email` left unowned: what removing a member
 *   does, so no read shows a removed member as owner (docs/decisions/0165).
 */

import type { Deps } from '../../deps.ts';
import type { Membership } from '../../identity/model.ts';
import type { Actor } from '../../kernel/actor.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { dealEvent } from '../../kernel/events.ts';
import { normalizeEmail } from '../../kernel/validation.ts';
import { type Deal, DIRECTIONS } from '../model.ts';
import type { DealView } from '../ports.ts';
import { mayAssignOwner, mayOwn, ownerOf, requireEligibleOwner } from '../rules/owner.ts';
import { changePlan, nextVersion } from '../rules/plan.ts';
import { findVisibleDeal } from './read-deals.ts';
import {
  authorizeDealChange,
  changeDeal,
  commitChange,
  commitPlan,
  type DealRef,
  readForChange,
} from './write.ts';

export type AssignOwnerInput = { email: string | null };

const ownerEvents = (next: Deal) => [
  dealEvent('deal.owner-changed', next, next.owner ? { detail: { owner: next.owner.email } } : {}),
];

const requireAssigner = (actor: Actor, deal: Deal): void => {
  if (!mayAssignOwner(actor, deal)) {
    throw new ForbiddenError(
      'owner-change-refused',
      "Only the organization's admins, its referrals-admins or the deal's owner may change its owner.",
    );
  }
};

export const assignOwner = (
  deps: Deps,
  actor: Actor,
  command: DealRef & AssignOwnerInput,
): Promise<DealView> =>
  changeDeal(deps, command.expectedVersion, async () => {
    const stored = await readForChange(deps, actor, command, { allowTerminal: true });
    const { deal } = stored;
    requireAssigner(actor, deal);
    const member =
      command.email === null
        ? undefined
        : requireEligibleOwner(await deps.memberships.get(deal.orgId, normalizeEmail(command.email)), deal);
    const { owner: _previous, ...unowned } = deal;
    const next = nextVersion(deal, member ? { ...deal, owner: ownerOf(member) } : unowned, deps.clock.now());
    return commitChange(deps, actor, stored, next, {
      action: 'owner-changed',
      events: ownerEvents,
      ...(member
        ? { ownerCheck: { orgId: member.orgId, email: member.email, version: member.version } }
        : {}),
    });
  });

/**
 * Who may change the owner, as far as an Idempotency-Key replay must pass: whoever may change the
 * deal. Whether the caller may assign is the deal's state (its owner), which the first request may
 * have changed itself, so the use case decides it.
 */
export const authorizeAssignOwner = authorizeDealChange;

const allMembers = async (deps: Deps, orgId: string): Promise<Membership[]> => {
  const members: Membership[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    const page = await deps.memberships.listByOrg(orgId, { limit: 100, ...(after ? { after } : {}) });
    members.push(...page.items);
    after = page.next;
  } while (after);
  return members;
};

export type OwnerCandidate = { email: string; name: string };

export const ownerCandidates = async (
  deps: Deps,
  actor: Actor,
  dealId: string,
): Promise<OwnerCandidate[]> => {
  const { deal } = await findVisibleDeal(deps, actor, dealId);
  requireAssigner(actor, deal);
  return (await allMembers(deps, deal.orgId))
    .filter((member) => mayOwn(member, deal))
    .map((member) => ownerOf(member));
};

/**
 * Leaves every deal of the org that `email` owns unowned, each as its own change with its history
 * entry and event, recorded as `actor`'s (the admin removing the member). Not conditioned on the
 * actor's membership: an admin removing itself releases its own deals after its removal.
 */
export const releaseOwnedDeals = async (deps: Deps, actor: Actor, email: string): Promise<number> => {
  const { membershipVersion: _unchecked, ...remover } = actor;
  const owner = normalizeEmail(email);
  let released = 0;
  for (const direction of DIRECTIONS) {
    let after: Record<string, unknown> | undefined;
    do {
      const page = await deps.deals.list(
        { orgId: actor.orgId, source: { by: 'owner', owner, direction } },
        '',
        { limit: 100, ...(after ? { after } : {}) },
      );
      for (const { deal } of page.items) {
        if (await releaseOne(deps, remover, deal.id, owner)) released += 1;
      }
      after = page.next;
    } while (after);
  }
  return released;
};

/** One deal released, if `owner` still owns it when read (an index entry may be a moment behind). */
const releaseOne = (deps: Deps, actor: Actor, dealId: string, owner: string): Promise<boolean> =>
  changeDeal(deps, undefined, async () => {
    const stored = await deps.deals.get(actor.orgId, dealId, '');
    if (!stored?.deal.owner || normalizeEmail(stored.deal.owner.email) !== owner) return false;
    const { owner: _removed, ...unowned } = stored.deal;
    const next = nextVersion(stored.deal, unowned, deps.clock.now());
    if (!next) return false;
    await commitPlan(
      deps,
      changePlan(deps.ids, {
        previous: stored.deal,
        next,
        action: 'owner-changed',
        actor,
        events: ownerEvents(next),
      }),
    );
    return true;
  });
