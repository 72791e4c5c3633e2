/**
 * Who hears about what (design §7). Pure rules over memberships and deals; the planner reads them.
 *
 * | event                                        | recipients                                                      |
 * |----------------------------------------------|-----------------------------------------------------------------|
 * | invitation.created, invitation.reminder      | invitee org's org-admins, referrals-admins, and referral-users of the deal's location |
 * | invitation.accepted / .declined / .expired   | the inviting deal's team and the inviting user                  |
 * | registration.updated                         | the deal's team                                                 |
 *
 * One email per recipient: addresses are trimmed and compared case-insensitively.
 */
import type { Deal, Membership } from '../model.ts';

/** The form two addresses are compared (and idempotency keys are built) in. */
export const recipientKey = (email: string): string => email.trim().toLowerCase();

/** Drops blanks and case-insensitive duplicates, keeping the first spelling of each address. */
export const dedupe = (emails: readonly string[]): string[] => {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of emails) {
    const email = raw.trim();
    const key = recipientKey(email);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(email);
  }
  return out;
};

/** The invitee org's members who must hear about an invitation to a deal in `location`. */
export const inviteeRecipients = (members: readonly Membership[], location: string): string[] =>
  dedupe(
    members
      .filter(
        (member) =>
          member.roles.includes('org-admin') ||
          member.roles.includes('referrals-admin') ||
          (member.roles.includes('referral-user') && member.locations.includes(location)),
      )
      .map((member) => member.email),
  );

/** The inviting deal's team and the user who sent the invitation. */
export const inviterRecipients = (inviterDeal: Deal, invitedBy: { email: string } | undefined): string[] =>
  dedupe([...inviterDeal.team.map((member) => member.email), ...(invitedBy ? [invitedBy.email] : [])]);

/** A deal's team. */
export const teamRecipients = (deal: Deal): string[] => dedupe(deal.team.map((member) => member.email));
