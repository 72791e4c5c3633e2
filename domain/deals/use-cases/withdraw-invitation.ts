/**
 * Withdraw an invitation — docs/domain.md §4.
 * Input: the inviting org's deal and the invited org. Output: the inviting deal, whose participant
 * entry of that org now says `withdrawn`.
 * Rules: only the org whose deal sent the invitation, only while it is `received`; the invitee's
 * deal becomes `withdrawn` (terminal, out of the expiry index) and its people are told. The write is
 * conditioned on the invitee's deal as read, so an accept, decline or expiry racing it leaves
 * exactly one outcome.
 */

import type { Deps } from '../../deps.ts';
import type { Actor } from '../../kernel/actor.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import type { Deal } from '../model.ts';
import type { DealView } from '../ports.ts';
import { historyActor } from '../rules/history.ts';
import { inviteeEvent, isOpenInvitationOf, requireWithdrawable } from '../rules/invitations.ts';
import { changePlan, withdrawnDeal } from '../rules/plan.ts';
import { presentDeal } from './present.ts';
import { findVisibleDeal } from './read-deals.ts';
import { changeDeal, commitPlan, type DealRef, readForChange } from './write.ts';

/** Deals are read for these checks as this viewer; it only decides the (unused) favorite mark. */
const INVITER_VIEW = 'system:invitations';

/** The invitee's deal of `orgId` in the inviting deal's engagement, as stored. */
const inviteeDeal = async (deps: Deps, inviter: Deal, orgId: string): Promise<Deal | undefined> => {
  const participant = inviter.participants[orgId];
  if (!participant || orgId === inviter.orgId) return undefined;
  return (await deps.deals.get(orgId, participant.dealId, INVITER_VIEW))?.deal;
};

/**
 * The received invitations `inviter` sent, each invitee's deal as stored: what closing it withdraws.
 * The participants copy says which orgs are received; their deals say who invited them.
 */
export const openInvitationsOf = async (deps: Deps, inviter: Deal): Promise<Deal[]> => {
  const received = Object.values(inviter.participants).filter(
    (participant) => participant.orgId !== inviter.orgId && participant.status === 'received',
  );
  const deals = await Promise.all(received.map(({ orgId }) => inviteeDeal(deps, inviter, orgId)));
  return deals.filter((deal): deal is Deal => deal !== undefined && isOpenInvitationOf(inviter, deal));
};

/** The withdrawal of each invitee deal at `at`, as `changePlan` takes them. */
export const withdrawalsOf = (invitees: readonly Deal[], at: string) =>
  invitees.map((previous) => ({ previous, next: withdrawnDeal(previous, at) }));

export const withdrawInvitation = (
  deps: Deps,
  actor: Actor,
  command: DealRef & { orgId: string },
): Promise<DealView> =>
  changeDeal(deps, command.expectedVersion, async () => {
    const { deal: inviter } = await readForChange(deps, actor, command);
    const invitee = await inviteeDeal(deps, inviter, command.orgId);
    if (!invitee) throw new NotFoundError('The invitation');
    requireWithdrawable(inviter, invitee);
    const at = deps.clock.now().toISOString();
    const next = withdrawnDeal(invitee, at);
    const plan = changePlan(deps.ids, {
      previous: invitee,
      next,
      action: 'withdrawn',
      actor,
      events: [inviteeEvent('invitation.withdrawn', next)],
    });
    // The inviting deal's own log says what it did; its copy of the participants moves with the plan.
    plan.history.push({
      id: deps.ids.next(),
      dealId: inviter.id,
      at,
      actor: historyActor(actor),
      action: 'invitation-withdrawn',
      changes: [{ field: `participants.${command.orgId}`, from: 'received', to: 'withdrawn' }],
    });
    await commitPlan(deps, plan);
    return presentDeal(deps, actor, await findVisibleDeal(deps, actor, inviter.id));
  });
