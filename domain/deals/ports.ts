/** Ports of the deals context: the deal and comment stores, and the views its use cases answer with. */

import type { Customer } from '../directory/model.ts';
import type { Actor } from '../kernel/actor.ts';
import type { DomainEvent } from '../kernel/events.ts';
import type { Money } from '../kernel/money.ts';
import type { Page, PageRequest } from '../kernel/page.ts';
import type {
  Comment,
  Deal,
  DealStatus,
  DealType,
  Direction,
  ExportJob,
  HistoryEntry,
  InvitationRate,
  Registration,
  SeenParticipant,
  TeamMember,
} from './model.ts';
import type { DealAction } from './rules/actions.ts';
import type { CommentMatch } from './rules/comments.ts';
import type { DealPlan } from './rules/plan.ts';
import type { RegistrationView } from './rules/registration.ts';
import type { StageChoices } from './rules/stages.ts';

/** A deal as stored for the caller: the org's own record and the caller's favorite mark. */
export type StoredDeal = { deal: Deal; favorite: boolean };

/**
 * A partner's registration as the host reviews it: what was submitted, and the partner deal's value,
 * close date and solutions as they are now.
 */
export type SubmittedRegistration = {
  orgId: string;
  orgName: string;
  registration: Registration;
  deal: { value: Money; closeDate: string; solutions: string[] };
};

/**
 * A deal as the caller sees it (use-cases/present.ts): what is stored, its type, the other orgs of
 * the engagement as far as the deal's org may see them, what follows from the catalog
 * (registration), on the host's deal the partners' registrations, and what the caller may do to
 * it. Whatever answers with a deal
 * shows this and nothing else of other orgs.
 */
export type DealView = StoredDeal & {
  type: DealType;
  participants: SeenParticipant[];
  registration: RegistrationView;
  registrations: SubmittedRegistration[];
  /** What the caller may do to the deal now (rules/actions.ts). */
  actions: DealAction[];
  /** The stages and outcomes the deal may move to now (rules/stages.ts). */
  stageChoices: StageChoices;
};

/**
 * Which index order serves a list page: one direction newest first (optionally one status, or one
 * owner), every
 * deal of the org by last change oldest first (`updatedAt` from `since` up to `until`), or the deal
 * carrying the org's own CRM id.
 */
export type DealListSource =
  | { by: 'direction'; direction: Direction; status?: DealStatus }
  | { by: 'updated'; since: string; until: string }
  /** One direction's deals owned by `owner` (a normalized email), or unowned (`null`), newest first. */
  | { by: 'owner'; owner: string | null; direction: Direction }
  | { by: 'crmId'; crmId: string };

export type DealListQuery = {
  orgId: string;
  source: DealListSource;
  /**
   * The deals the page may hold. Without it a page holds `limit` entries of the source; with it the
   * store reads a bounded number of entries (docs/data-model.md), keeps those it accepts, at most
   * `limit`, and continues after the last entry it looked at.
   */
  keep?: (deal: Deal) => boolean;
  /**
   * Also read the viewer's own sub binding, in the same request as the page's marks (a caller its
   * token only claims, deals/use-cases/read-deals.ts `ClaimedCaller`): the page then carries `caller`.
   */
  readCaller?: boolean;
};

/**
 * A page of the viewer's deals. With `readCaller`, `caller` is what the viewer's binding says now,
 * read in the same request as the page (absent when the sub is bound to no membership).
 */
export type DealListPage = Page<StoredDeal> & { caller?: Actor };

/** The items a request names besides its caller: read together with the caller's membership. */
export type CallerReadRequest = { dealId?: string; customerId?: string };

/**
 * What one read for a request found: the caller's active membership (absent when the sub is bound
 * to none), the named deal as stored for the caller (absent when there is no such deal, of any
 * org: the domain decides whether the caller may see it) and the named customer (active only).
 */
export type CallerRead = { actor?: Actor; deal?: StoredDeal; customer?: Customer };

/**
 * What committing a deal plan did: `committed`; `conflict` (nothing written) when a deal or the
 * engagement changed since it was read; `membership-changed` when the caller's membership the
 * decision relied on (`DealPlan.authorizedBy`) is no longer the same.
 */
export type DealCommitOutcome = 'committed' | 'conflict' | 'membership-changed';

export interface DealStore {
  /**
   * Stores a deal write (rules/plan.ts) as one transaction with its conditions, all or nothing:
   * `conflict` (and nothing written) when a condition no longer holds, e.g. a deal or the engagement
   * changed since it was read.
   */
  commit(plan: DealPlan): Promise<DealCommitOutcome>;
  /**
   * The shared teams of these orgs on one engagement, by org id, in one read (strongly consistent):
   * an org that has written none is left out.
   */
  sharedTeams(engagementId: string, orgIds: readonly string[]): Promise<Record<string, TeamMember[]>>;
  /** The rate records of these orgs on one engagement (strongly consistent); an org without one is left out. */
  invitationRates(engagementId: string, orgIds: readonly string[]): Promise<InvitationRate[]>;
  /**
   * The caller's membership and the items the request names, in one read (strongly consistent):
   * every item is addressable from the sub and the ids alone, so authorization needs no read before it.
   */
  readForCaller(sub: string, request: CallerReadRequest): Promise<CallerRead>;
  /**
   * Deals whose next action (`DealState.nextActionAt`, as last committed) is due at or before
   * `before`, soonest first.
   */
  dueInvitations(before: string, page: PageRequest): Promise<Page<Deal>>;
  /** The org's copy of the deal (undefined when the deal is another org's) and the viewer's mark. */
  get(orgId: string, dealId: string, viewerSub: string): Promise<StoredDeal | undefined>;
  /**
   * The org's deals in the source's order: newest first by direction, oldest change first by
   * `updatedAt`; by CRM id at most one deal (the newest carrying it), with no next page.
   */
  list(query: DealListQuery, viewerSub: string, page: PageRequest): Promise<DealListPage>;
  /** The user's favorites, most recently marked first; `keep` and `readCaller` as for `list`. */
  listFavorites(
    viewerSub: string,
    page: PageRequest,
    options?: Pick<DealListQuery, 'keep' | 'readCaller'>,
  ): Promise<DealListPage>;
  /** Idempotent: marking twice keeps the first mark's time, unmarking an unmarked deal is a no-op. */
  setFavorite(
    viewerSub: string,
    deal: Pick<Deal, 'orgId' | 'id'>,
    favorite: boolean,
    at: string,
  ): Promise<void>;
  /** The org's most recently created deals (both directions), newest first, at most `limit`. */
  recentDeals(orgId: string, limit: number): Promise<Deal[]>;
  /** A deal's change log, newest first (deal ids are unique, so the org is not part of the key). */
  history(dealId: string, page: PageRequest): Promise<Page<HistoryEntry>>;
}

/** Comments of one engagement that meet one of `anyOf` (rules/comments.ts decides which). */
export type CommentQuery = { engagementId: string; anyOf: readonly CommentMatch[] };

/**
 * When the engagement comments were last mailed to a deal's people (the digest, docs/domain.md §7):
 * `sentAt` by the outbox event `eventId`, covering the comments after `since` up to `through`.
 */
export type DigestMark = {
  dealId: string;
  eventId: string;
  sentAt: string;
  since?: string;
  through?: string;
  /**
   * A digest is owed: a comment came while the deal was throttled, so the sweep sends one at
   * `dueAt` (the last digest plus the window) unless another comment's digest claims the mark first.
   * The recipient deal's org and engagement let the sweep name it in its event.
   */
  owed?: { dueAt: string; orgId: string; engagementId: string };
};

export interface CommentStore {
  /** Stores the comment with its events (the outbox) in one transaction. */
  add(comment: Comment, events: readonly DomainEvent[]): Promise<void>;
  /** The comments `query` names, newest first. */
  list(query: CommentQuery, page: PageRequest): Promise<Page<Comment>>;
  /** The comments `query` names created after `afterCreatedAt` (all when undefined), newest first, at most `limit`. */
  commentsSince(query: CommentQuery, afterCreatedAt: string | undefined, limit: number): Promise<Comment[]>;
  digestMark(dealId: string): Promise<DigestMark | undefined>;
  /**
   * Writes the deal's digest mark if the stored one is still the one read (`readEventId`, or none):
   * `stale` when another digest got there first. With `events`, they go to the outbox in the same
   * transaction (the sweep's digest event). Any owed digest is settled by the new mark.
   */
  putDigestMark(
    mark: DigestMark,
    readEventId: string | undefined,
    events?: readonly DomainEvent[],
  ): Promise<'written' | 'stale'>;
  /**
   * Records on the deal's mark that a digest is owed, if the mark is still the one read and owes
   * none yet: `stale` otherwise (re-read it).
   */
  markDigestOwed(
    dealId: string,
    readEventId: string,
    owed: NonNullable<DigestMark['owed']>,
  ): Promise<'written' | 'stale'>;
  /** Marks whose owed digest is due at or before `before`, earliest first, at most `limit` (eventually consistent). */
  dueDigests(before: string, limit: number): Promise<DigestMark[]>;
}

/** An export job's file in the bucket, named by the job's org and id. */
export type ExportFileRef = Pick<ExportJob, 'orgId' | 'id'>;

/** The export jobs, in their org's partition, each gone at its `expiresAt`. */
export interface ExportJobStore {
  create(job: ExportJob): Promise<void>;
  get(orgId: string, id: string): Promise<ExportJob | undefined>;
  /**
   * Records the job's outcome on condition that it is still running: `stale` when another run
   * already finished it (a retried invocation), and then nothing was written.
   */
  finish(job: ExportJob): Promise<'written' | 'stale'>;
}

/** The export files: written once as a stream of rows, handed out by presigned URL. */
export interface ExportFileStore {
  /** Writes `rows` (the header first) as the file's CSV as they come; resolves once it is stored. */
  write(file: ExportFileRef, rows: AsyncIterable<readonly string[]>): Promise<void>;
  /** A URL that answers one `GET` of the file as a download named `fileName` until it expires. */
  downloadUrl(file: ExportFileRef, download: { fileName: string; expiresInSeconds: number }): Promise<string>;
}

/** Work that runs in its own function after the request that asked for it has answered. */
export interface BackgroundJobs {
  /** Hands the export to its function (which reads the job back); resolves once it is queued. */
  runExport(job: ExportFileRef): Promise<void>;
}
