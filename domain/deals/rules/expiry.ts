/**
 * When an invitation needs the expiry job (docs/domain.md §3 and §7): an invitation not answered 14 days
 * after it was sent expires; three days before that its invitee is reminded, once.
 */
import { type Deal, type Invitation, REMINDER_DAYS_BEFORE_EXPIRY } from '../model.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When the expiry job must next look at a received invitation: the reminder time until the reminder
 * went out, the expiry time after.
 */
export const nextInvitationAction = (invitation: Pick<Invitation, 'expiresAt' | 'remindedAt'>): string =>
  invitation.remindedAt
    ? invitation.expiresAt
    : new Date(new Date(invitation.expiresAt).getTime() - REMINDER_DAYS_BEFORE_EXPIRY * DAY_MS).toISOString();

export type DueAction = { action: 'expired' | 'reminded'; next: Deal };

/** What the job does to `deal` at `now` (ISO time): expire it, remind its invitee, or nothing. */
export const dueAction = (deal: Deal, now: string): DueAction | undefined => {
  const invitation = deal.invitation;
  if (deal.status !== 'received' || !invitation || nextInvitationAction(invitation) > now) return undefined;
  if (invitation.expiresAt <= now) {
    return {
      action: 'expired',
      next: { ...deal, status: 'expired', invitation: { ...invitation, answeredAt: invitation.expiresAt } },
    };
  }
  return { action: 'reminded', next: { ...deal, invitation: { ...invitation, remindedAt: now } } };
};
