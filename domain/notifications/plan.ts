/**
 * Plan the emails of one domain event (docs/domain.md §7).
 * Input: the event and the app's base URL. Output: one email per recipient (possibly none).
 * Rules: recipients per recipients.ts, among the members the org concerned has now (the invitee org
 * for invitations and reminders, the inviting org for answers and expiry, the deal's org for
 * registration decisions, the invitee org for withdrawals, each other taking-part org for an
 * engagement comment's digest, the recipient deal itself for an owed digest the sweep sends), so a member removed after the event was written is not told; every email is composed from the recipient org's own deal
 * (the invitee's for invitations and reminders, the inviter's for answers and expiry) and links to
 * that deal; a reminder for an invitation that is no longer `received` is not sent; a registration
 * email goes to the partner's team for the host's decisions, and to the host's reviewers (linking to
 * the host's own deal) for the partner's submission and each resubmission; a member invitation
 * emails the invited address alone, while it is still unanswered; a new owner is emailed alone,
 * while still the deal's owner and a member; the deal's owner is among the recipients of every
 * email about its deal (recipients.ts); other events that concern nobody (deal.*) and events whose
 * deal is gone plan nothing.
 */

import { type Deal, takesPart } from '../deals/model.ts';
import type { Membership } from '../identity/model.ts';
import { type DomainEvent, isMemberEvent, type MemberEvent, type OutboxEvent } from '../kernel/events.ts';
import { claimDigest, digestComments } from './digest.ts';
import {
  acceptedMessage,
  commentDigestMessage,
  declinedMessage,
  expiredMessage,
  type InviteeView,
  type InviterView,
  invitationMessage,
  type Message,
  memberInvitationMessage,
  ownerMessage,
  registrationMessage,
  renderEmail,
  submissionMessage,
  withdrawnMessage,
} from './messages.ts';
import type { NotificationDeps, OutgoingEmail } from './ports.ts';
import {
  inviteeRecipients,
  inviterRecipients,
  newOwnerRecipients,
  reviewerRecipients,
  teamRecipients,
} from './recipients.ts';

type Readers = Pick<NotificationDeps, 'deals' | 'memberships' | 'orgs' | 'comments' | 'clock'>;

/** Deals are read as this viewer; it only decides the (unused) favorite mark. */
export const NOTIFICATIONS_VIEWER = 'system:notifications';

const readDeal = async (deps: Readers, orgId: string, dealId: string): Promise<Deal | undefined> =>
  (await deps.deals.get(orgId, dealId, NOTIFICATIONS_VIEWER))?.deal;

const allMembers = async (deps: Readers, orgId: string): Promise<Membership[]> => {
  const members: Membership[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    const page = await deps.memberships.listByOrg(orgId, { limit: 100, ...(after ? { after } : {}) });
    members.push(...page.items);
    after = page.next;
  } while (after);
  return members;
};

const inviteeView = (deal: Deal): InviteeView | undefined =>
  deal.invitation && {
    dealId: deal.id,
    dealName: deal.name,
    customerName: deal.customer.name,
    location: deal.location,
    fromOrgName: deal.invitation.fromOrgName,
    kind: deal.invitation.kind,
    helpType: deal.invitation.helpType,
    expiresAt: deal.invitation.expiresAt,
  };

const addressed = (recipients: string[], message: Message, appBaseUrl: string): OutgoingEmail[] =>
  recipients.map((to) => renderEmail(to, message, appBaseUrl));

const planInvitation = async (
  deps: Readers,
  event: DomainEvent,
  appBaseUrl: string,
  kind: 'invitation' | 'reminder' | 'withdrawal',
): Promise<OutgoingEmail[]> => {
  if (!event.invitation) return [];
  const { inviteeOrgId, inviteeDealId } = event.invitation;
  const deal = await readDeal(deps, inviteeOrgId, inviteeDealId);
  const view = deal && inviteeView(deal);
  if (!deal || !view || (kind === 'reminder' && deal.status !== 'received')) return [];
  // The org was emailed an invitation to this engagement within the hour: nobody hears of this one
  // or of its withdrawal (deals/rules/invitation-limits.ts). Its reminder days later is news again.
  if (kind !== 'reminder' && deal.invitation?.emailHeld) return [];
  // A withdrawal goes to the invitee's recipients as for a new invitation (docs/api.md).
  const recipients = inviteeRecipients(await allMembers(deps, inviteeOrgId), deal);
  const message =
    kind === 'withdrawal' ? withdrawnMessage(view) : invitationMessage(view, kind === 'reminder');
  return addressed(recipients, message, appBaseUrl);
};

const ANSWER_MESSAGES = {
  'invitation.accepted': acceptedMessage,
  'invitation.declined': declinedMessage,
  'invitation.expired': expiredMessage,
} as const;

const planAnswer = async (
  deps: Readers,
  event: DomainEvent,
  appBaseUrl: string,
  compose: (view: InviterView) => Message,
): Promise<OutgoingEmail[]> => {
  if (!event.invitation) return [];
  const { inviterOrgId, inviterDealId, inviteeOrgId, inviteeDealId } = event.invitation;
  const inviterDeal = await readDeal(deps, inviterOrgId, inviterDealId);
  if (!inviterDeal) return [];
  // Only who sent the invitation and, for a decline, the notes the invitee wrote for the inviter
  // are taken from the invitee's deal; none of its other content.
  const inviteeDeal = await readDeal(deps, inviteeOrgId, inviteeDealId);
  const invitedBy = inviteeDeal?.invitation?.invitedBy;
  const declined = event.type === 'invitation.declined';
  const notes = declined ? inviteeDeal?.declined?.notes : undefined;
  const view: InviterView = {
    dealId: inviterDeal.id,
    dealName: inviterDeal.name,
    customerName: inviterDeal.customer.name,
    inviteeOrgName: inviterDeal.participants[inviteeOrgId]?.orgName ?? 'The invited organization',
    ...(declined && event.detail?.reason ? { reason: event.detail.reason } : {}),
    ...(notes ? { notes } : {}),
  };
  return addressed(
    inviterRecipients(await allMembers(deps, inviterOrgId), inviterDeal, invitedBy),
    compose(view),
    appBaseUrl,
  );
};

/** The host's decisions on a registration, which its partner's team hears of. */
const DECISIONS = new Set(['in-review', 'action-required', 'approved', 'rejected']);

/** A partner's (re)submission: the host's reviewers hear of it from the host's own deal. */
const planSubmission = async (
  deps: Readers,
  partnerDeal: Deal,
  appBaseUrl: string,
): Promise<OutgoingEmail[]> => {
  const host = Object.values(partnerDeal.participants).find(
    (participant) => participant.kind === 'host' && participant.orgId !== partnerDeal.orgId,
  );
  const hostDeal = host && (await readDeal(deps, host.orgId, host.dealId));
  if (!host || !hostDeal) return [];
  const message = submissionMessage({
    dealId: hostDeal.id,
    dealName: hostDeal.name,
    partnerOrgName: hostDeal.participants[partnerDeal.orgId]?.orgName ?? 'A partner',
    // A resubmission answers the host's request for action: the review thread has a message.
    again: (partnerDeal.registration?.messages.length ?? 0) > 0,
  });
  return addressed(reviewerRecipients(await allMembers(deps, host.orgId), hostDeal), message, appBaseUrl);
};

const planRegistration = async (
  deps: Readers,
  event: DomainEvent,
  appBaseUrl: string,
): Promise<OutgoingEmail[]> => {
  const status = event.detail?.status ?? '';
  const deal = await readDeal(deps, event.orgId, event.dealId);
  if (!deal) return [];
  if (status === 'submitted') return planSubmission(deps, deal, appBaseUrl);
  if (!DECISIONS.has(status)) return [];
  // The host's message for this decision, as the partner reads it on its own deal.
  const message = deal.registration?.messages.filter((entry) => entry.decision === status).at(-1)?.text;
  return addressed(
    teamRecipients(await allMembers(deps, deal.orgId), deal),
    registrationMessage({ dealId: deal.id, dealName: deal.name, status, ...(message ? { message } : {}) }),
    appBaseUrl,
  );
};

/**
 * An engagement comment: a digest for each other org taking part, to its deal's team, at most once
 * per deal and hour (digest.ts). The author's deal names the orgs; each recipient deal must take
 * part itself when the email is planned.
 */
const planCommentDigest = async (
  deps: Readers,
  event: DomainEvent,
  appBaseUrl: string,
): Promise<OutgoingEmail[]> => {
  const authorDeal = await readDeal(deps, event.orgId, event.dealId);
  if (!authorDeal) return [];
  const emails: OutgoingEmail[] = [];
  for (const participant of Object.values(authorDeal.participants)) {
    if (participant.orgId === event.orgId || !takesPart(participant.status)) continue;
    emails.push(...(await planDigestFor(deps, event, participant.orgId, participant.dealId, appBaseUrl)));
  }
  return emails;
};

/** One recipient deal's digest, if this event wins its mark (digest.ts). */
const planDigestFor = async (
  deps: Readers,
  event: DomainEvent,
  orgId: string,
  dealId: string,
  appBaseUrl: string,
): Promise<OutgoingEmail[]> => {
  const deal = await readDeal(deps, orgId, dealId);
  if (!deal || !takesPart(deal.status)) return [];
  const claim = await claimDigest(deps.comments, deal, event.id, event.at, deps.clock.now());
  if (!claim) return [];
  // Its own org's comments are news to nobody there.
  const comments = (await digestComments(deps.comments, deal.engagementId, claim)).filter(
    (comment) => comment.author.orgId !== deal.orgId,
  );
  if (comments.length === 0) return [];
  const message = commentDigestMessage({
    dealId: deal.id,
    dealName: deal.name,
    comments: comments.map((comment) => ({
      orgName: comment.author.orgName,
      authorName: comment.author.name,
      text: comment.text,
      createdAt: comment.createdAt,
    })),
  });
  return addressed(teamRecipients(await allMembers(deps, deal.orgId), deal), message, appBaseUrl);
};

/** The new owner of a deal is told, while still its owner and a member of its org. */
const planOwnerChange = async (
  deps: Readers,
  event: DomainEvent,
  appBaseUrl: string,
): Promise<OutgoingEmail[]> => {
  const owner = event.detail?.owner;
  if (!owner) return [];
  const deal = await readDeal(deps, event.orgId, event.dealId);
  if (!deal) return [];
  return addressed(
    newOwnerRecipients(await allMembers(deps, deal.orgId), deal, owner),
    ownerMessage({
      dealId: deal.id,
      dealName: deal.name,
      customerName: deal.customer.name,
      status: deal.status,
    }),
    appBaseUrl,
  );
};

/**
 * A member invitation: one email to the invited address, naming the org and who invited, linking to
 * the console's join page. Nothing when the invitation is gone or already answered by the time the
 * event is handled (the person removed, or joined or declined in the meantime), or the org is gone.
 */
const planMemberInvitation = async (
  deps: Readers,
  event: MemberEvent,
  appBaseUrl: string,
): Promise<OutgoingEmail[]> => {
  const invitation = await deps.memberships.get(event.orgId, event.member.email);
  if (invitation?.status !== 'invited') return [];
  const org = await deps.orgs.get(event.orgId);
  if (!org) return [];
  const message = memberInvitationMessage({
    orgName: org.name,
    inviterName: event.actor.name,
    inviterEmail: event.actor.email,
    roles: invitation.roles,
    locations: invitation.locations,
  });
  return addressed([invitation.email], message, appBaseUrl);
};

export const planNotifications = async (
  deps: Readers,
  event: OutboxEvent,
  appBaseUrl: string,
): Promise<OutgoingEmail[]> => {
  if (isMemberEvent(event)) return planMemberInvitation(deps, event, appBaseUrl);
  switch (event.type) {
    case 'invitation.created':
      return planInvitation(deps, event, appBaseUrl, 'invitation');
    case 'invitation.reminder':
      return planInvitation(deps, event, appBaseUrl, 'reminder');
    case 'invitation.withdrawn':
      return planInvitation(deps, event, appBaseUrl, 'withdrawal');
    case 'comment.created':
      return planCommentDigest(deps, event, appBaseUrl);
    case 'comment.digest':
      // The sweep's owed digest: the event names the recipient deal, whose mark it already claimed.
      return planDigestFor(deps, event, event.orgId, event.dealId, appBaseUrl);
    case 'invitation.accepted':
    case 'invitation.declined':
    case 'invitation.expired':
      return planAnswer(deps, event, appBaseUrl, ANSWER_MESSAGES[event.type]);
    case 'registration.updated':
      return planRegistration(deps, event, appBaseUrl);
    case 'deal.owner-changed':
      return planOwnerChange(deps, event, appBaseUrl);
    default:
      return [];
  }
};
