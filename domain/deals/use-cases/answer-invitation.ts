/**
 * Answer an invitation: accept or decline the org's received deal — design §3–§4.
 * Accept input: `{ name?, value?, closeDate?, notes?, crmId?, campaignId?, team? }` → `accepted` at stage
 * `accepted`. Decline input: `{ reason, notes? }` → `declined` (terminal).
 * Rules: only a `received` deal whose invitation has not expired; accept, decline and expiry of one
 * invitation exclude each other (the write is conditioned on the version that was `received`). The
 * answer time is kept for the org's responsiveness.
 */
import type { Actor } from '../../actor.ts';
import { ConflictError } from '../../errors.ts';
import {
  type Deal,
  type DeclineReason,
  type Money,
  STAGE_PROBABILITY,
  type TeamMember,
} from '../../model.ts';
import type { DealView, Deps, InvitationAnswer } from '../../ports.ts';
import { requireFutureDate, requireSelfOnTeam } from '../rules/checks.ts';
import { inviteeEvent } from '../rules/invitations.ts';
import { mutateDeal } from './write.ts';

export type AcceptInput = {
  name?: string;
  value?: Money;
  closeDate?: string;
  notes?: string;
  crmId?: string;
  campaignId?: string;
  team?: TeamMember[];
};

export type DeclineInput = { reason: DeclineReason; notes?: string };

const requireOpenInvitation = (deal: Deal, now: Date): NonNullable<Deal['invitation']> => {
  if (deal.status !== 'received' || !deal.invitation) {
    throw new ConflictError(
      'invalid-transition',
      `Only a received invitation can be answered; this deal is ${deal.status}.`,
    );
  }
  if (now.toISOString() >= deal.invitation.expiresAt) {
    throw new ConflictError(
      'invalid-transition',
      'The invitation expired; ask the inviting org to invite you again.',
    );
  }
  return deal.invitation;
};

const answered = (deal: Deal, now: Date): Deal['invitation'] =>
  deal.invitation ? { ...deal.invitation, answeredAt: now.toISOString() } : undefined;

export const answerOf = (previous: Deal, next: Deal): InvitationAnswer | undefined =>
  previous.invitation &&
  next.invitation?.answeredAt &&
  (next.status === 'accepted' || next.status === 'declined' || next.status === 'expired')
    ? {
        orgId: next.orgId,
        dealId: next.id,
        invitedAt: previous.invitation.invitedAt,
        answeredAt: next.invitation.answeredAt,
        outcome: next.status,
      }
    : undefined;

export const acceptInvitation = async (
  deps: Deps,
  actor: Actor,
  dealId: string,
  input: AcceptInput,
  ifMatch: number | undefined,
): Promise<DealView> => {
  if (input.team) requireSelfOnTeam(actor, input.team);
  const events = (_: Deal, next: Deal) => [inviteeEvent('invitation.accepted', next)];
  return mutateDeal(deps, actor, dealId, { action: 'accepted', ifMatch, answerOf, events }, (deal, now) => {
    requireOpenInvitation(deal, now);
    if (!input.team) requireSelfOnTeam(actor, deal.team.length > 0 ? deal.team : []);
    if (input.closeDate !== undefined) requireFutureDate(input.closeDate, now, 'closeDate');
    const { name, value, closeDate, notes, crmId, campaignId, team } = input;
    return {
      ...deal,
      ...(name !== undefined ? { name } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(closeDate !== undefined ? { closeDate } : {}),
      ...(notes !== undefined ? { notes } : {}),
      ...(crmId !== undefined ? { crmId } : {}),
      ...(campaignId !== undefined ? { campaignId } : {}),
      ...(team !== undefined ? { team } : {}),
      status: 'accepted',
      stage: 'accepted',
      probability: STAGE_PROBABILITY.accepted,
      invitation: answered(deal, now),
    };
  });
};

const declineEvents = (_: Deal, next: Deal) => [
  inviteeEvent('invitation.declined', next, { reason: next.declined?.reason ?? 'other' }),
];

export const declineInvitation = (
  deps: Deps,
  actor: Actor,
  dealId: string,
  input: DeclineInput,
  ifMatch: number | undefined,
): Promise<DealView> =>
  mutateDeal(
    deps,
    actor,
    dealId,
    { action: 'declined', ifMatch, answerOf, events: declineEvents },
    (deal, now) => {
      requireOpenInvitation(deal, now);
      return {
        ...deal,
        status: 'declined',
        declined: { reason: input.reason, ...(input.notes ? { notes: input.notes } : {}) },
        invitation: answered(deal, now),
      };
    },
  );
