/**
 * Records and enumerations of the deals context (docs/domain.md §2–§6, §9): deals, their engagement,
 * invitations, registrations, history and comments. The enumerations are the only declaration of
 * each set of values: API schemas, adapters, the console and tests import them from here.
 */
import type { AttachmentRef } from '../attachments/model.ts';
import type { OrgKind } from '../kernel/actor.ts';
import { LIMITS } from '../kernel/limits.ts';
import type { Money } from '../kernel/money.ts';

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

export type TeamMember = { name: string; email: string; phone: string };

/**
 * The one person of the deal's org who answers for it (docs/domain.md §1): a current member of the
 * org who may see the deal (rules/owner.ts). `email` is the member's address as the membership
 * holds it (normalized); `name` is as the member was named when made owner.
 */
export type DealOwner = { email: string; name: string };

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
  /**
   * Set when the org was emailed an invitation to this engagement less than an hour before: nobody
   * is emailed about this one, nor about its withdrawal (rules/invitation-limits.ts).
   */
  emailHeld?: true;
};

/**
 * The deal's own optional texts, declared once: the creator may give each (an empty one is left
 * out), the invitee may set it when accepting, an edit sets it or clears it with `null`, the history
 * records its old and new values, and the API shows it to the deal's org (`null` when unset). A
 * `filter` text also narrows `GET /v1/deals` by exact match. `format` names the shape the API checks:
 * `external-id` a trimmed id from another system, `notes` free text.
 */
export const DEAL_TEXTS = {
  notes: { format: 'notes', filter: false },
  crmId: { format: 'external-id', filter: true },
  campaignId: { format: 'external-id', filter: true },
} as const satisfies Record<string, { format: 'notes' | 'external-id'; filter: boolean }>;
export type DealText = keyof typeof DEAL_TEXTS;
/** The longest text of each format, in characters. */
export const TEXT_FORMAT_LIMITS = { notes: LIMITS.notes, 'external-id': LIMITS.externalId } as const;
export const DEAL_TEXT_FIELDS = Object.keys(DEAL_TEXTS) as DealText[];
export type DealTexts = { [K in DealText]?: string };

/**
 * The texts `input` gives. A creation stores no empty text; an accepting invitee's empty text is
 * kept as given (`keepEmpty`).
 */
export const givenTexts = (input: DealTexts, { keepEmpty = false } = {}): DealTexts =>
  Object.fromEntries(
    DEAL_TEXT_FIELDS.flatMap((field) => {
      const value = input[field];
      return value !== undefined && (keepEmpty || value) ? [[field, value]] : [];
    }),
  );

/** The texts that narrow a deal list. */
export type FilterText = {
  [K in DealText]: (typeof DEAL_TEXTS)[K]['filter'] extends true ? K : never;
}[DealText];
export const FILTER_TEXTS = DEAL_TEXT_FIELDS.filter((field) => DEAL_TEXTS[field].filter) as FilterText[];

export type Deal = DealTexts & {
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
  /** Who answers for the deal; absent while nobody does (rules/owner.ts). */
  owner?: DealOwner;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
};

/**
 * The deal's fields its history records (rules/history.ts): plain ones compared by value,
 * collections as what was added and removed. Participants belong to the engagement. A new field of
 * the deal that people change is named here.
 */
export const DEAL_HISTORY_VALUES = [
  'status',
  'stage',
  'probability',
  'companyStage',
  'name',
  'value',
  'closeDate',
  ...DEAL_TEXT_FIELDS,
  'lost',
  'owner',
] as const satisfies readonly (keyof Deal)[];
export const DEAL_HISTORY_COLLECTIONS = ['team', 'solutions'] as const satisfies readonly (keyof Deal)[];

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

/** One org's place in an engagement: what other participants may see of it (docs/domain.md §4, §6). */
export type Participant = {
  orgId: string;
  orgName: string;
  kind: OrgKind;
  dealId: string;
  status: DealStatus;
  /** The deal whose org sent this org's latest invitation (absent on the origin org's own entry). */
  invitedByDealId?: string;
  /** Shown to the host, which reviews registrations through its own deal of the engagement. */
  registration?: { status: Exclude<RegistrationStatus, 'none'>; submittedAt: string };
  /**
   * Written only by the previous release, which copied the org's shared team onto every entry: read
   * in place of a `SharedTeam` the org has not written yet (rules/participants.ts). New entries never
   * carry it, and an entry rewritten by its org's next change drops it.
   */
  team?: TeamMember[];
};

/**
 * What an org shares of its deal team with the other orgs of an engagement: its first
 * `LIMITS.sharedTeamMembers` while it takes part. One record per org and engagement, apart from the
 * deals and the engagement, so no item grows with the number of orgs that take part
 * (docs/data-model.md "Item sizes"); only that org's taking-part deal writes it.
 */
export type SharedTeam = { engagementId: string; orgId: string; team: TeamMember[] };

/** Another org of the engagement as a deal's org sees it (rules/participants.ts). */
export type SeenParticipant = Pick<Participant, 'orgId' | 'orgName' | 'kind' | 'status'> & {
  team: TeamMember[];
  /** `withdraw` when the deal's org sent this org's open invitation (rules/actions.ts). */
  actions: 'withdraw'[];
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
 * How often one org was invited to one engagement lately (rules/invitation-limits.ts): the times of
 * its invitations within the last day, oldest first, and when it was last emailed one.
 */
export type InvitationRate = {
  engagementId: string;
  orgId: string;
  invitedAt: string[];
  emailedAt?: string;
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
/** Who made a change: a member (by sub and email), or an API client of the org (`client`: its name). */
export type HistoryActor = { sub: string; email: string; orgId?: string; orgName?: string; client?: string };

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

export const EXPORT_STATUSES = ['running', 'ready', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/**
 * A CSV export of a deal list, asked for by one person (or API client) and seen only by them: the
 * list's filter as it was asked, read in the background as the asker would read it page by page.
 * `expiresAt` is when the job and its file are gone (the table's TTL, the bucket's lifecycle rule).
 */
export type ExportJob = {
  id: string;
  orgId: string;
  sub: string;
  /** The list request the file holds: the same tab and filters as `GET /v1/deals`. */
  filter: ExportFilter;
  status: ExportStatus;
  /** The deals written, once ready. */
  rows: number;
  createdAt: string;
  finishedAt?: string;
  expiresAt: string;
};

/** A deal list's tab and filters as a job keeps them (use-cases/read-deals.ts `DealListRequest`). */
export type ExportFilter = {
  tab?: Direction | 'favorites';
  statuses?: DealStatus[];
  type?: DealType;
  location?: string;
  customer?: string;
  updatedSince?: string;
} & { [K in FilterText]?: string };
