/**
 * The invitation email of a member invitation (docs/api.md "Identity and administration"): inviting
 * an address writes a `member.invited` outbox event with the invitation, and the notification
 * consumer emails the address. At most one such email per address and org per hour, so removing and
 * re-inviting in a loop does not flood anyone's inbox.
 *
 * The rule decides from the address's mark as read; the invitation write stores the next mark and
 * the event in the same transaction, conditioned on the mark's version as read, so two invitations
 * can never both be emailed on one reading (docs/decisions/0121).
 */
import type { Actor } from '../kernel/actor.ts';
import type { MemberEvent } from '../kernel/events.ts';
import type { Ids } from '../kernel/ids.ts';
import type { Membership } from './model.ts';

export const MEMBER_INVITATION_EMAIL_INTERVAL_MS = 60 * 60 * 1000;

/** When an org last emailed an invitation to an address. */
export type InvitationEmailMark = { orgId: string; email: string; emailedAt: string; version: number };

/** What an emailed invitation writes besides the invitation: the next mark and the outbox event. */
export type InvitationEmailWrite = {
  /** The mark's version as read; none: there was no mark. */
  readVersion: number | undefined;
  mark: InvitationEmailMark;
  event: MemberEvent;
};

/**
 * The email write of `invitation`, made by `actor` at `now` after `previous` (the address's mark as
 * read), or undefined when the org emailed this address less than an hour ago: the invitation is
 * then made without an email (the earlier email already links to the same page).
 */
export const invitationEmail = (
  previous: InvitationEmailMark | undefined,
  invitation: Membership,
  actor: Actor,
  now: Date,
  ids: Ids,
): InvitationEmailWrite | undefined => {
  if (previous && Date.parse(previous.emailedAt) + MEMBER_INVITATION_EMAIL_INTERVAL_MS > now.getTime()) {
    return undefined;
  }
  const at = now.toISOString();
  return {
    readVersion: previous?.version,
    mark: {
      orgId: invitation.orgId,
      email: invitation.email,
      emailedAt: at,
      version: (previous?.version ?? 0) + 1,
    },
    event: {
      id: ids.next(),
      type: 'member.invited',
      at,
      orgId: invitation.orgId,
      member: { email: invitation.email },
      actor: { sub: actor.sub, email: actor.email, name: actor.name },
    },
  };
};

/** Until when a mark matters: an hour after its email (the store's expiry). */
export const markExpiresAt = (mark: InvitationEmailMark): string =>
  new Date(Date.parse(mark.emailedAt) + MEMBER_INVITATION_EMAIL_INTERVAL_MS).toISOString();
