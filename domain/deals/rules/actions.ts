/**
 * What a caller may do to one of its deals now (docs/domain.md §10): the one answer every client
 * shows, so no button leads to a refusal. Each action is decided by the same predicates its use case
 * checks; an action offered here is one the use case accepts, unless the deal changed in between or a
 * limit counted at write time (invitations per day, attachments) stands in the way.
 */

import { type Actor, hasRole } from '../../kernel/actor.ts';
import { type Deal, isTerminal, type RegistrationStatus } from '../model.ts';
import { mayInviteHost, mayInvitePartners, mayWithdraw } from './invitations.ts';
import { mayAssignOwner } from './owner.ts';
import { isHostDeal, type RegistrationView } from './registration.ts';
import { stageChoices } from './stages.ts';

/** Every action a deal may offer, in the order a client shows them. */
export const DEAL_ACTIONS = [
  'accept',
  'decline',
  'edit',
  'change-stage',
  'close',
  'invite',
  'withdraw',
  'register',
  'review',
  'comment',
  'assign-owner',
  'favorite',
] as const;
export type DealAction = (typeof DEAL_ACTIONS)[number];

/** Registrations the host may still decide on. */
export const OPEN_REGISTRATIONS: ReadonlySet<RegistrationStatus> = new Set([
  'submitted',
  'in-review',
  'action-required',
]);

/** Roles that review registrations for the host. */
export const mayReview = (actor: Actor): boolean =>
  actor.orgKind === 'host' && (hasRole(actor, 'org-admin') || hasRole(actor, 'referrals-admin'));

/** What the presenter knows besides the deal: its registration view and the partners' registrations. */
export type ActionContext = {
  registration: Pick<RegistrationView, 'eligible' | 'status'>;
  /** Statuses of the partners' registrations on the host's deal. */
  registrations: readonly RegistrationStatus[];
  now: Date;
};

const hasNextStage = (deal: Deal): boolean => {
  const choices = stageChoices(deal);
  return choices.stages.length > 0 || choices.companyStage;
};

/** The actions `actor` may perform on `deal` (a deal of its org it may see), in `DEAL_ACTIONS` order. */
export const dealActions = (actor: Actor, deal: Deal, context: ActionContext): DealAction[] => {
  const offered = new Set<DealAction>(['favorite']);
  const open = !isTerminal(deal.status);
  if (open) offered.add('comment');
  if (mayAssignOwner(actor, deal)) offered.add('assign-owner');
  if (
    deal.status === 'received' &&
    deal.invitation &&
    context.now.toISOString() < deal.invitation.expiresAt
  ) {
    offered.add('accept');
    offered.add('decline');
  }
  if (deal.status === 'accepted') {
    offered.add('edit');
    offered.add('close');
    if (hasNextStage(deal)) offered.add('change-stage');
    if (mayInvitePartners(deal) || mayInviteHost(deal, actor)) offered.add('invite');
    if (Object.values(deal.participants).some((participant) => mayWithdraw(deal, participant)))
      offered.add('withdraw');
  }
  if (
    actor.orgKind !== 'host' &&
    deal.status === 'won' &&
    context.registration.eligible &&
    (context.registration.status === 'none' || context.registration.status === 'action-required')
  ) {
    offered.add('register');
  }
  if (
    isHostDeal(deal) &&
    mayReview(actor) &&
    context.registrations.some((status) => OPEN_REGISTRATIONS.has(status))
  ) {
    offered.add('review');
  }
  return DEAL_ACTIONS.filter((action) => offered.has(action));
};
