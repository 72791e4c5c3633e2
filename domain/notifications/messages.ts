/**
 * The wording of each notification, from narrow views that hold only what the recipient's org may
 * see (built by plan.ts from the recipient org's own deal). A composer cannot leak what it is not
 * given: the invitee's view has no field of the inviter's deal, the inviter's view only the
 * invitee org's name, its status and the decline reason.
 *
 * Output: a subject and one message rendered as plain text and as HTML (every value escaped).
 */
import type { DeclineReason, HelpType, InviteeKind } from '../deals/model.ts';
import type { Role } from '../kernel/actor.ts';
import type { OutgoingEmail } from './ports.ts';

/** What the invitee's people see: their own (received) deal. */
export type InviteeView = {
  dealId: string;
  dealName: string;
  customerName: string;
  location: string;
  fromOrgName: string;
  kind: InviteeKind;
  helpType: HelpType;
  expiresAt: string;
};

/** What the inviting deal's people see: their own deal and the invitee as a participant. */
export type InviterView = {
  dealId: string;
  dealName: string;
  customerName: string;
  inviteeOrgName: string;
  /** Decline only. */
  reason?: string;
  /** Decline only: what the invitee wrote with its reason, meant for the inviter. */
  notes?: string;
};

/** A deal team's view of the engagement comments of a digest: the comments' orgs, authors and texts. */
export type CommentDigestView = {
  dealId: string;
  dealName: string;
  comments: { orgName: string; authorName: string; text: string; createdAt: string }[];
};

/** An email shows the start of a long comment; the deal shows it whole. */
const COMMENT_EXCERPT = 500;

/** A deal's team on a registration decision. */
export type RegistrationView = { dealId: string; dealName: string; status: string; message?: string };

/** The host's reviewers on a (re)submission: their own deal of the engagement and the partner's name. */
export type SubmissionView = { dealId: string; dealName: string; partnerOrgName: string; again: boolean };

/** A deal's new owner: its own deal. */
export type OwnerView = { dealId: string; dealName: string; customerName: string; status: string };

/** The invited person: the org that invites it, who invited, and the roles and locations offered. */
export type MemberInvitationView = {
  orgName: string;
  inviterName: string;
  inviterEmail: string;
  roles: Role[];
  locations: string[];
};

/**
 * Where an email's button leads: a deal of the recipient's org, or a page of the console. `answer`
 * opens the deal with the Accept dialog up (`?action=accept`), so an invitation is accepted from the
 * email in one more click; the console opens it only while the deal still offers accepting.
 */
export type Action = { label: string; dealId: string; answer?: 'accept' } | { label: string; path: '/join' };

/** A message before it is addressed and rendered. */
export type Message = {
  subject: string;
  lines: string[];
  facts: [label: string, value: string][];
  action: Action;
};

const ROLE_LABELS: Record<Role, string> = {
  'org-admin': 'Organization admin',
  'referrals-admin': 'Referrals admin',
  'referral-user': 'Referral user',
};

const HELP_LABELS: Record<HelpType, string> = {
  none: 'None',
  general: 'General',
  architecture: 'Architecture',
  technical: 'Technical',
  pricing: 'Pricing',
  'executive-sponsor': 'Executive sponsor',
  'customer-introduction': 'Customer introduction',
};

const DECLINE_LABELS: Record<DeclineReason, string> = {
  'not-a-fit': 'Not a fit',
  'insufficient-information': 'Insufficient information',
  'no-capacity': 'No capacity',
  'already-engaged': 'Already engaged with this customer',
  'customer-not-interested': 'Customer not interested',
  other: 'Other',
};

/** Each registration status as a subject label and as the sentence the email opens with. */
const REGISTRATION_LABELS: Record<string, { label: string; sentence: (deal: string) => string }> = {
  submitted: { label: 'submitted', sentence: (deal) => `The registration of "${deal}" was submitted.` },
  'in-review': { label: 'in review', sentence: (deal) => `The registration of "${deal}" is in review.` },
  'action-required': {
    label: 'needs your action',
    sentence: (deal) => `The registration of "${deal}" needs your action.`,
  },
  approved: { label: 'approved', sentence: (deal) => `The registration of "${deal}" was approved.` },
  rejected: { label: 'rejected', sentence: (deal) => `The registration of "${deal}" was rejected.` },
};

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
/** `2026-12-09T10:00:00.000Z` → `9 Dec 2026`; anything unparsable as it is. */
export const formatDate = (iso: string): string => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
};

const declineLabel = (reason: string | undefined): string =>
  (reason && DECLINE_LABELS[reason as DeclineReason]) || 'Not given';

export const invitationMessage = (view: InviteeView, reminder: boolean): Message => ({
  subject: reminder
    ? `Reminder: the invitation from ${view.fromOrgName} expires on ${formatDate(view.expiresAt)}: ${view.dealName}`
    : `${view.fromOrgName} invited you to co-sell: ${view.dealName}`,
  lines: [
    reminder
      ? `The invitation from ${view.fromOrgName} to work together on "${view.dealName}" is still waiting for your answer. It expires on ${formatDate(view.expiresAt)}.`
      : `${view.fromOrgName} invited your organization to work together on "${view.dealName}".`,
    'Open the invitation to accept it, or to decline it from the deal.',
  ],
  facts: [
    ['Deal', view.dealName],
    ['Customer', view.customerName],
    ['Location', view.location],
    ['Invited by', view.fromOrgName],
    ['Help requested', HELP_LABELS[view.helpType]],
    ['Answer by', formatDate(view.expiresAt)],
  ],
  action: { label: 'Open the invitation', dealId: view.dealId, answer: 'accept' },
});

export const acceptedMessage = (view: InviterView): Message => ({
  subject: `${view.inviteeOrgName} accepted your invitation: ${view.dealName}`,
  lines: [`${view.inviteeOrgName} accepted your invitation to work together on "${view.dealName}".`],
  facts: [
    ['Deal', view.dealName],
    ['Customer', view.customerName],
    ['Organization', view.inviteeOrgName],
    ['Status', 'Accepted'],
  ],
  action: { label: 'Open the deal', dealId: view.dealId },
});

export const declinedMessage = (view: InviterView): Message => ({
  subject: `${view.inviteeOrgName} declined your invitation: ${view.dealName}`,
  lines: [`${view.inviteeOrgName} declined your invitation to work together on "${view.dealName}".`],
  facts: [
    ['Deal', view.dealName],
    ['Customer', view.customerName],
    ['Organization', view.inviteeOrgName],
    ['Status', 'Declined'],
    ['Reason', declineLabel(view.reason)],
    ...(view.notes ? ([['Notes', view.notes]] as [string, string][]) : []),
  ],
  action: { label: 'Open the deal', dealId: view.dealId },
});

export const expiredMessage = (view: InviterView): Message => ({
  subject: `Your invitation to ${view.inviteeOrgName} expired: ${view.dealName}`,
  lines: [
    `${view.inviteeOrgName} did not answer your invitation to work together on "${view.dealName}" in time; the invitation expired.`,
  ],
  facts: [
    ['Deal', view.dealName],
    ['Customer', view.customerName],
    ['Organization', view.inviteeOrgName],
    ['Status', 'Expired'],
  ],
  action: { label: 'Open the deal', dealId: view.dealId },
});

export const registrationMessage = (view: RegistrationView): Message => {
  const known = REGISTRATION_LABELS[view.status];
  const status = known?.label ?? view.status;
  return {
    subject: `Deal registration ${status}: ${view.dealName}`,
    lines: [
      known?.sentence(view.dealName) ?? `The registration of "${view.dealName}" is now ${status}.`,
      ...(view.message ? [view.message] : []),
    ],
    facts: [
      ['Deal', view.dealName],
      ['Registration', status],
    ],
    action: { label: 'Open the deal', dealId: view.dealId },
  };
};

/** To the host's reviewers: a partner (re)submitted its registration of a deal of theirs. */
export const submissionMessage = (view: SubmissionView): Message => ({
  subject: `Registration ${view.again ? 'resubmitted' : 'submitted'} for your review: ${view.dealName}`,
  lines: [
    `${view.partnerOrgName} ${view.again ? 'resubmitted' : 'submitted'} its registration of "${view.dealName}". Review its evidence and decide.`,
  ],
  facts: [
    ['Deal', view.dealName],
    ['Partner', view.partnerOrgName],
    ['Registration', 'Submitted'],
  ],
  action: { label: 'Review the registration', dealId: view.dealId },
});

/** To the invitee's people: the inviter took its invitation back. */
export const withdrawnMessage = (view: InviteeView): Message => ({
  subject: `${view.fromOrgName} withdrew its invitation: ${view.dealName}`,
  lines: [
    `${view.fromOrgName} withdrew its invitation to work together on "${view.dealName}". There is nothing left to answer.`,
  ],
  facts: [
    ['Deal', view.dealName],
    ['Customer', view.customerName],
    ['Invited by', view.fromOrgName],
    ['Status', 'Withdrawn'],
  ],
  action: { label: 'Open the deal', dealId: view.dealId },
});

/** To an invited address: an org offers it membership; the console's join page answers it. */
export const ownerMessage = (view: OwnerView): Message => ({
  subject: `You now own the deal ${view.dealName}`,
  lines: [`You are now the owner of "${view.dealName}": the person of your organization who answers for it.`],
  facts: [
    ['Deal', view.dealName],
    ['Customer', view.customerName],
    ['Status', view.status],
  ],
  action: { label: 'Open the deal', dealId: view.dealId },
});

export const memberInvitationMessage = (view: MemberInvitationView): Message => ({
  subject: `${view.inviterName} invited you to join ${view.orgName} on Co-sell referrals`,
  lines: [
    `${view.inviterName} (${view.inviterEmail}) invited you to join ${view.orgName} on Co-sell referrals.`,
    'Sign in with this email address to accept or decline the invitation. If you did not expect it, you can ignore this email.',
  ],
  facts: [
    ['Organization', view.orgName],
    ['Invited by', `${view.inviterName} (${view.inviterEmail})`],
    ['Roles', view.roles.map((role) => ROLE_LABELS[role] ?? role).join(', ')],
    ...(view.locations.length > 0 ? ([['Locations', view.locations.join(', ')]] as [string, string][]) : []),
  ],
  action: { label: 'Review the invitation', path: '/join' },
});

const excerpt = (text: string): string =>
  text.length > COMMENT_EXCERPT ? `${text.slice(0, COMMENT_EXCERPT)}…` : text;

export const commentDigestMessage = (view: CommentDigestView): Message => ({
  subject:
    view.comments.length === 1
      ? `New comment from ${view.comments[0]?.orgName ?? 'a partner'}: ${view.dealName}`
      : `${view.comments.length} new comments: ${view.dealName}`,
  lines: [
    `New comments from the organizations working with you on "${view.dealName}" (newest first):`,
    ...view.comments.map(
      (comment) =>
        `${comment.authorName} (${comment.orgName}), ${formatDate(comment.createdAt)}: ${excerpt(comment.text)}`,
    ),
  ],
  facts: [['Deal', view.dealName]],
  action: { label: 'Open the conversation', dealId: view.dealId },
});

// ---- Rendering ----

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);

/** A subject is a header: no line breaks, no runs of blanks, at most 200 characters. */
const oneLine = (value: string): string => value.replace(/\s+/g, ' ').trim().slice(0, 200);

export const dealLink = (appBaseUrl: string, dealId: string): string =>
  `${appBaseUrl.replace(/\/+$/, '')}/deals/${encodeURIComponent(dealId)}`;

const actionLink = (appBaseUrl: string, action: Action): string =>
  'dealId' in action
    ? `${dealLink(appBaseUrl, action.dealId)}${action.answer ? `?action=${action.answer}` : ''}`
    : `${appBaseUrl.replace(/\/+$/, '')}${action.path}`;

/** Addresses and renders a message: the plain-text part and an HTML part with every value escaped. */
export const renderEmail = (to: string, message: Message, appBaseUrl: string): OutgoingEmail => {
  const url = actionLink(appBaseUrl, message.action);
  const text = [
    ...message.lines,
    '',
    ...message.facts.map(([label, value]) => `${label}: ${value}`),
    '',
    `${message.action.label}: ${url}`,
    '',
    '— Co-sell referrals',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    ...message.lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    '<table>',
    ...message.facts.map(
      ([label, value]) =>
        `<tr><th align="left" style="padding-right:1em">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    // A new tab: an inbox that shows the email in a frame (the local one does) must not open the
    // console inside it.
    `<p><a href="${escapeHtml(url)}" target="_blank" rel="noopener">${escapeHtml(message.action.label)}</a></p>`,
    '<p style="color:#666">— Co-sell referrals</p>',
    '</body></html>',
  ].join('\n');
  return { to, subject: oneLine(message.subject), text, html };
};
