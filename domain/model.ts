/**
 * Entities and enumerations of the co-sell domain (docs/domain.md §1–§4). The enumerations are the only
 * declaration of each set of values: API schemas, adapters and tests import them from here.
 */

export const ORG_KINDS = ['partner', 'host'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const CAPABILITIES = ['solution-assessment'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const ROLES = ['org-admin', 'referrals-admin', 'referral-user'] as const;
export type Role = (typeof ROLES)[number];

/** `invited`: an admin named the address; `active`: its owner signed in and is bound by `sub`. */
export const MEMBER_STATUSES = ['invited', 'active'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const DEAL_TYPES = ['private', 'co-sell', 'partner-to-partner', 'solution-assessment'] as const;
export type DealType = (typeof DEAL_TYPES)[number];

export const DIRECTIONS = ['outbound', 'inbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const DEAL_STATUSES = [
  'received',
  'accepted',
  'won',
  'lost',
  'declined',
  'expired',
  'withdrawn',
  'closed',
] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<DealStatus> = new Set([
  'won',
  'lost',
  'declined',
  'expired',
  'withdrawn',
  'closed',
]);

/**
 * The statuses of an org that takes part in its engagement: it accepted (or created) its deal, and
 * may since have won, lost or closed it. A received, declined, expired or withdrawn org does not:
 * it sees no other org's team and no engagement comment, and nobody sees its team.
 */
export const TAKING_PART_STATUSES: ReadonlySet<DealStatus> = new Set(['accepted', 'won', 'lost', 'closed']);
export const takesPart = (status: DealStatus): boolean => TAKING_PART_STATUSES.has(status);

/** An org whose last invitation ended this way may be invited again (a new inbound deal). */
export const REINVITABLE_STATUSES: ReadonlySet<DealStatus> = new Set(['declined', 'expired', 'withdrawn']);

/** Standard sales stages in pipeline order, each with its win probability in percent (docs/domain.md §3). */
export const STAGES = [
  'created',
  'accepted',
  'qualified',
  'developed',
  'proposed',
  'negotiated',
  'won',
] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_PROBABILITY: Readonly<Record<Stage, number>> = {
  created: 10,
  accepted: 10,
  qualified: 20,
  developed: 40,
  proposed: 60,
  negotiated: 80,
  won: 100,
};

export const SOLUTION_KINDS = ['partner', 'host', 'assessment'] as const;
export type SolutionKind = (typeof SOLUTION_KINDS)[number];

export const HELP_TYPES = [
  'none',
  'general',
  'architecture',
  'technical',
  'pricing',
  'executive-sponsor',
  'customer-introduction',
] as const;
export type HelpType = (typeof HELP_TYPES)[number];

export const DECLINE_REASONS = [
  'not-a-fit',
  'insufficient-information',
  'no-capacity',
  'already-engaged',
  'customer-not-interested',
  'other',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const LOST_REASONS = [
  'lost-to-competitor',
  'no-budget',
  'no-decision',
  'customer-unresponsive',
  'other',
] as const;
export type LostReason = (typeof LOST_REASONS)[number];

/** Field limits shared by the API schemas and the domain checks. */
export const LIMITS = {
  name: 200,
  notes: 4000,
  externalId: 100,
  personName: 200,
  email: 254,
  phone: 40,
  address: 500,
  teamMembers: 25,
  solutionsPerDeal: 20,
  locationsPerUser: 250,
  /** A host's review message to the partner (docs/api.md), in characters. */
  reviewMessage: 2000,
  /** A deal keeps its most recent review messages, at most this many ... */
  registrationMessages: 50,
  /**
   * ... and at most this many bytes (UTF-8) of their text: 50 messages of 2,000 Latin characters fit,
   * while 2,000 characters of three-byte script are 6,000 bytes. This keeps the deal item far below
   * DynamoDB's 400 KB whatever the script; every message stays in the history regardless.
   */
  registrationMessageBytes: 100_000,
  /** A purchase order number on a registration. */
  purchaseOrder: 100,
  /** An attachment's file name, in characters. */
  fileName: 255,
  /** The largest attachment, in bytes (10 MiB). */
  attachmentBytes: 10 * 1024 * 1024,
  /** Attachments one registration submits. */
  registrationAttachments: 10,
  /** Attachments an org uploads to one of its deals: bounds the list and the bucket's use. */
  attachmentsPerDeal: 50,
  /** A comment's text, in characters. */
  comment: 4000,
  /**
   * How many members of an org's deal team its participant entry shares with the other orgs (the
   * first ones). The entry is copied onto every deal of the engagement (up to 20 orgs), so this keeps
   * a deal item below DynamoDB's 400 KB with every other org's team on it (docs/data-model.md).
   */
  sharedTeamMembers: 10,
} as const;

export type Money = { amount: number; currency: string };

export type Organization = {
  id: string;
  name: string;
  kind: OrgKind;
  capabilities: Capability[];
  createdAt: string;
  /**
   * How many of its partner solutions are co-sell ready, kept with every solution write: an org with
   * none is outside the co-sell ecosystem, so partner search does not list it (docs/domain.md §8).
   */
  coSellReadySolutions?: number;
};

/**
 * A member of an org, identified within it by its email address (trimmed, lower-cased). An invited
 * member has no `sub` yet; the first sign-in of a token carrying that (verified) email binds it.
 */
export type Membership = {
  email: string;
  orgId: string;
  name: string;
  roles: Role[];
  /** ISO 3166-1 alpha-2 codes; only meaningful for `referral-user`. */
  locations: string[];
  status: MemberStatus;
  /** The identity provider's subject, once the person signed in (status `active`). */
  sub?: string;
  invitedAt: string;
  joinedAt?: string;
  updatedAt: string;
  /** Optimistic concurrency: every write names the version it read. */
  version: number;
};

export type Customer = {
  id: string;
  name: string;
  country: string;
  address: string;
  duns?: string;
  /** The org that added it; absent on entries added before this was recorded (the host corrects those). */
  createdByOrgId?: string;
  createdAt: string;
  updatedAt: string;
  /** Moves with every correction: a correction is conditioned on the version it read. */
  version: number;
};

export type Solution = {
  id: string;
  ownerOrgId: string;
  kind: SolutionKind;
  name: string;
  coSellReady: boolean;
  incentiveEligible: boolean;
  createdAt: string;
  updatedAt: string;
};

export type TeamMember = { name: string; email: string; phone: string };

export type CustomerContact = { name: string; phone: string; email: string };

export type DealCustomer = {
  id: string;
  name: string;
  country: string;
  address: string;
  duns?: string;
  contact?: CustomerContact;
  consentToShareWithHost: boolean;
};

export type CompanyStage = { name: string; probability: number };

/** How long an invitee has to answer, and when the reminder goes out (docs/domain.md §3, §7). */
export const INVITATION_DAYS = 14;
export const REMINDER_DAYS_BEFORE_EXPIRY = 3;

export const INVITEE_KINDS = ['host', 'partner'] as const;
export type InviteeKind = (typeof INVITEE_KINDS)[number];

/**
 * The invitation an inbound deal was created from (docs/domain.md §4): who invited, how they want help,
 * and, for partner invitations, what they proposed and who on their side to talk to.
 */
export type Invitation = {
  kind: InviteeKind;
  fromOrgId: string;
  fromOrgName: string;
  fromDealId: string;
  invitedBy: { sub: string; email: string };
  helpType: HelpType;
  notes?: string;
  invitedAt: string;
  expiresAt: string;
  /** The inviter's contacts for this engagement (partner and host invitations alike). */
  inviterTeam?: TeamMember[];
  /** When the invitee accepted, declined, or the invitation expired. */
  answeredAt?: string;
  /** Set once by the expiry job when it wrote the reminder, so it is written only once. */
  remindedAt?: string;
};

export type Deal = {
  id: string;
  engagementId: string;
  orgId: string;
  direction: Direction;
  status: DealStatus;
  stage: Stage;
  probability: number;
  companyStage?: CompanyStage;
  name: string;
  location: string;
  customer: DealCustomer;
  value: Money;
  closeDate: string;
  crmId?: string;
  campaignId?: string;
  notes?: string;
  team: TeamMember[];
  solutions: string[];
  /** Set only on solution-assessment deals: the deal's only solution is an assessment type. */
  assessmentLocation?: string;
  /**
   * Every org of the engagement with its deal's status, self included, keyed by org id. A copy of the
   * engagement's participants kept on each deal (written in the same transaction as the engagement)
   * so that one read serves a deal with its participants and derived type.
   */
  participants: Record<string, Participant>;
  /**
   * The engagement's version this copy of the participants reflects. Every write that changes the
   * engagement is conditioned on it, so concurrent invitations and answers serialize and no deal's
   * copy is ever left behind.
   */
  engagementVersion: number;
  /** Inbound deals only: the invitation this deal answers. */
  invitation?: Invitation;
  /** Set once the org registered the won deal with the host. */
  registration?: Registration;
  /** Set when the invitee declined. */
  declined?: { reason: DeclineReason; notes?: string };
  /** Set when the deal was closed as lost. */
  lost?: { reason: LostReason; notes?: string };
  /** When the deal reached won or lost. */
  closedAt?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
};

export const REGISTRATION_STATUSES = [
  'none',
  'submitted',
  'in-review',
  'action-required',
  'approved',
  'rejected',
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const REVIEW_DECISIONS = ['in-review', 'action-required', 'approved', 'rejected'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const REGISTRATION_UNMET = [
  'host-not-invited',
  'host-not-engaged',
  'no-incentive-eligible-solution',
  'not-won',
] as const;
export type RegistrationUnmet = (typeof REGISTRATION_UNMET)[number];

/** A partner's registration of its won deal with the host (docs/domain.md §6). */
export type Registration = {
  status: Exclude<RegistrationStatus, 'none'>;
  submittedAt: string;
  contractSigned: true;
  notes?: string;
  /** The evidence of the submission (docs/api.md): replaced whole by a re-submission. */
  contractValue?: Money;
  contractDate?: string;
  purchaseOrder?: string;
  attachments?: AttachmentRef[];
  /** What the host told the partner while reviewing, oldest first. */
  messages: { at: string; decision: ReviewDecision; text: string }[];
  decidedAt?: string;
};

/**
 * The file types an attachment may have, by the media type the client declares (and the presigned
 * upload signs), with the extension people know them by.
 */
export const ATTACHMENT_TYPES = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/csv': 'csv',
  'text/plain': 'txt',
} as const;
export type AttachmentContentType = keyof typeof ATTACHMENT_TYPES;

/**
 * What the malware scan said of a file: `pending` until a scanner reported (or while none has looked),
 * `clean`, or `infected`. Only a clean file is handed out.
 */
export const SCAN_STATUSES = ['pending', 'clean', 'infected'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** A file an org uploads to one of its deals (a contract, a purchase order), stored in the bucket. */
export type Attachment = {
  id: string;
  orgId: string;
  dealId: string;
  fileName: string;
  contentType: AttachmentContentType;
  size: number;
  /** True once the object was seen in the bucket. */
  uploaded: boolean;
  scan: ScanStatus;
  createdBy: string;
  createdAt: string;
};

/** How a registration names an attachment: the host sees the file's name beside its id. */
export type AttachmentRef = { id: string; fileName: string };

/** One org's place in an engagement: what other participants may see of it (docs/domain.md §4, §6). */
export type Participant = {
  orgId: string;
  orgName: string;
  kind: OrgKind;
  dealId: string;
  status: DealStatus;
  /** Shown to the host, which reviews registrations through its own deal of the engagement. */
  registration?: { status: Exclude<RegistrationStatus, 'none'>; submittedAt: string };
  /** The org's deal team (its first `LIMITS.sharedTeamMembers`), only while the org takes part. */
  team?: TeamMember[];
};

export type Engagement = {
  id: string;
  /** The org that created the engagement's first deal. */
  originOrgId: string;
  /** True when the engagement's deals are solution-assessment deals. */
  assessment: boolean;
  participants: Record<string, Participant>;
  version: number;
};

/**
 * One changed field. Values are `from`/`to`; collections (team, solutions, review messages) record
 * only what was `added` and `removed`, so an entry never copies a whole collection.
 */
export type HistoryChange = {
  field: string;
  from?: unknown;
  to?: unknown;
  added?: unknown[];
  removed?: unknown[];
};

/**
 * Who wrote a history entry. Members are recorded with their org; only the scheduled job and entries
 * written before release 2 have no org (domain/deals/rules/history.ts works theirs out).
 */
export type HistoryActor = { sub: string; email: string; orgId?: string; orgName?: string };

export type HistoryEntry = {
  id: string;
  dealId: string;
  at: string;
  actor: HistoryActor;
  action: string;
  changes: HistoryChange[];
};

export const isTerminal = (status: DealStatus): boolean => TERMINAL_STATUSES.has(status);

export const COMMENT_VISIBILITIES = ['engagement', 'org'] as const;
export type CommentVisibility = (typeof COMMENT_VISIBILITIES)[number];

/**
 * A comment on an engagement (docs/domain.md §9): `engagement` comments are read by every org that
 * takes part, `org` comments only by the author's org. Ids are ULIDs: newest first is descending.
 */
export type Comment = {
  id: string;
  engagementId: string;
  /** The author's deal. */
  dealId: string;
  visibility: CommentVisibility;
  text: string;
  author: { orgId: string; orgName: string; name: string; sub: string };
  createdAt: string;
};

/** An invitee's answer (or the expiry), kept per org for responsiveness (docs/domain.md §8). */
export type InvitationAnswer = {
  orgId: string;
  dealId: string;
  invitedAt: string;
  answeredAt: string;
  outcome: 'accepted' | 'declined' | 'expired';
};
