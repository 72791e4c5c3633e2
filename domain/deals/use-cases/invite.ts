/**
 * Invite the host and/or partner orgs to a deal's engagement — design §4 (rules in ../rules/invitations.ts).
 * Input: `{ host?: { helpType, notes }, partners?: [{ orgId, closeDate?, value?, notes?, team?, solutions?, helpType }] }`.
 * Output: the inviting deal, its participants grown by the invitees (status `received`).
 * Each invitee's inbound deal is written in the same transaction as the engagement change.
 */
import type { Actor } from '../../actor.ts';
import type { DealView, Deps } from '../../ports.ts';
import {
  buildInvitations,
  type InviteInput,
  invitationEvents,
  type NewInboundDeal,
} from '../rules/invitations.ts';
import { mutateDeal } from './write.ts';

export const inviteToDeal = async (
  deps: Deps,
  actor: Actor,
  dealId: string,
  input: InviteInput,
  ifMatch: number | undefined,
): Promise<DealView> => {
  let invitees: NewInboundDeal[] = [];
  return mutateDeal(
    deps,
    actor,
    dealId,
    {
      action: 'invited',
      ifMatch,
      commit: (inviter) => deps.deals.invite({ inviter, invitees }),
      events: (_, next) => invitationEvents(next, invitees),
    },
    async (deal, now) => {
      const invitations = await buildInvitations(deps, actor, deal, input, now, deal.engagementVersion + 1);
      invitees = invitations.invitees;
      return {
        ...deal,
        participants: invitations.participants,
        engagementVersion: deal.engagementVersion + 1,
      };
    },
  );
};
