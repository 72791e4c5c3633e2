/**
 * Invite the host and/or partner orgs to a deal's engagement — docs/domain.md §4 (rules in ../rules/invitations.ts).
 * Input: `{ host?: { helpType, notes }, partners?: [{ orgId, closeDate?, value?, notes?, team?, solutions?, helpType }] }`.
 * Output: the inviting deal, its participants grown by the invitees (status `received`).
 * Each invitee's inbound deal is written in the same transaction as the engagement change.
 */

import type { Deps } from '../../deps.ts';
import type { Actor } from '../../kernel/actor.ts';
import type { DealView } from '../ports.ts';
import { buildInvitations, type InviteInput, invitationEvents } from '../rules/invitations.ts';
import { versioned } from '../rules/plan.ts';
import { authorizeDealChange, changeDeal, commitChange, type DealRef, readForChange } from './write.ts';

export const inviteToDeal = (deps: Deps, actor: Actor, command: DealRef & InviteInput): Promise<DealView> =>
  changeDeal(deps, command.expectedVersion, async () => {
    const stored = await readForChange(deps, actor, command);
    const { deal } = stored;
    const now = deps.clock.now();
    const { invitees, participants } = await buildInvitations(
      deps,
      actor,
      deal,
      command,
      now,
      deal.engagementVersion + 1,
    );
    // Always a change, also when a re-invited org's entry is all that moves (same names, new deal).
    const next = versioned(deal, { ...deal, participants }, now.toISOString());
    return commitChange(deps, actor, stored, next, {
      action: 'invited',
      events: (next) => invitationEvents(next, invitees),
      invitees,
    });
  });

/** Who may invite from the deal: whoever may change it (`authorizeDealChange`). */
export const authorizeInvite = authorizeDealChange;
