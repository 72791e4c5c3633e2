/**
 * Who hears about what (docs/domain.md §7). Pure rules over the current members of the org concerned and its
 * deal; the planner reads both when the email is sent, never when the event was written.
 *
 * | event                                        | candidates                                                      |
 * |----------------------------------------------|-----------------------------------------------------------------|
 * | invitation.created, invitation.reminder      | invitee org's org-admins, referrals-admins, and referral-users of the deal's location |
 * | invitation.accepted / .declined / .expired   | the inviting deal's team and the inviting user                  |
 * | registration.updated (a decision)            | the deal's team                                                 |
 * | registration.updated (submitted)             | the host's reviewers: its org-admins and referrals-admins       |
 * | comment digests                              | the recipient deal's team                                       |
 * | deal.owner-changed                           | the new owner alone                                             |
 *
 * The owner of the deal an email is about (the recipient org's own deal) is a candidate of every
 * row too, once however many reasons name it.
 *
 * Only current members of the org concerned are ever recipients: a candidate address is one only
 * while it is a current member's (compared trimmed and case-insensitively), and the email goes to the
 * member's own address. A team entry that is no member is a contact shown on the deal, never a
 * recipient, so no address typed into a deal (any domain) can make the platform send mail to it.
 * Where that leaves nobody, the org's org-admins receive it instead. One email per recipient.
 */
import type { Deal } from '../deals/model.ts';
import type { Membership } from '../identity/model.ts';

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

/**
 * The one place that decides whether a membership makes its person a current member: only an
 * `active` one. An `invited` address has not signed in yet; mailing it would let an admin use the
 * platform as a relay to any address. A removed member has no membership at all.
 */
export const isCurrentMember = (member: Membership): boolean => member.status === 'active';

const isAdmin = (member: Membership): boolean => member.roles.includes('org-admin');

/**
 * Resolves candidate addresses to the current members they belong to, in candidate order; the
 * org's admins when none does.
 */
const membersAmong = (members: readonly Membership[], candidates: readonly string[]): string[] => {
  const current = members.filter(isCurrentMember);
  const byAddress = new Map<string, string>();
  for (const member of current) {
    const key = recipientKey(member.email);
    if (!byAddress.has(key)) byAddress.set(key, member.email.trim());
  }
  const recipients = dedupe(
    candidates.flatMap((email) => {
      const member = byAddress.get(recipientKey(email));
      return member ? [member] : [];
    }),
  );
  return recipients.length > 0 ? recipients : dedupe(current.filter(isAdmin).map((member) => member.email));
};

/** The deal's owner as a candidate, when it has one. */
const ownerOf = (deal: Pick<Deal, 'owner'>): string[] => (deal.owner ? [deal.owner.email] : []);

/** The invitee org's members who must hear about an invitation to its deal (in the deal's location). */
export const inviteeRecipients = (
  members: readonly Membership[],
  deal: Pick<Deal, 'location' | 'owner'>,
): string[] =>
  membersAmong(members, [
    ...members
      .filter(
        (member) =>
          member.roles.includes('org-admin') ||
          member.roles.includes('referrals-admin') ||
          (member.roles.includes('referral-user') && member.locations.includes(deal.location)),
      )
      .map((member) => member.email),
    ...ownerOf(deal),
  ]);

/**
 * The inviting deal's team and the user who sent the invitation, among the inviting org's
 * `members`.
 */
export const inviterRecipients = (
  members: readonly Membership[],
  inviterDeal: Deal,
  invitedBy: { email: string } | undefined,
): string[] =>
  membersAmong(members, [
    ...inviterDeal.team.map((entry) => entry.email),
    ...(invitedBy ? [invitedBy.email] : []),
    ...ownerOf(inviterDeal),
  ]);

/** Who reviews registrations for the host (its org-admins and referrals-admins) and its deal's owner. */
export const reviewerRecipients = (members: readonly Membership[], hostDeal: Pick<Deal, 'owner'>): string[] =>
  membersAmong(members, [
    ...members
      .filter((member) => member.roles.includes('org-admin') || member.roles.includes('referrals-admin'))
      .map((member) => member.email),
    ...ownerOf(hostDeal),
  ]);

/** A deal's team and its owner, among its org's `members`. */
export const teamRecipients = (members: readonly Membership[], deal: Deal): string[] =>
  membersAmong(members, [...deal.team.map((entry) => entry.email), ...ownerOf(deal)]);

/**
 * The deal's new owner named by `owner`, while it is still the deal's owner and a current member; no
 * one else (nobody stands in for a person told they now own a deal).
 */
export const newOwnerRecipients = (members: readonly Membership[], deal: Deal, owner: string): string[] => {
  if (!deal.owner || recipientKey(deal.owner.email) !== recipientKey(owner)) return [];
  const member = members.find(
    (candidate) => isCurrentMember(candidate) && recipientKey(candidate.email) === recipientKey(owner),
  );
  return member ? [member.email.trim()] : [];
};
