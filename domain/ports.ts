/**
 * Ports: what the use cases need from the outside world. Adapters in functions/adapters implement
 * them on DynamoDB and SES; test/support implements them in memory for the unit tests.
 */
import type { Actor } from './actor.ts';
import type { DealPlan } from './deals/rules/plan.ts';
import type { RegistrationView } from './deals/rules/registration.ts';
import type { DomainEvent } from './events.ts';
import type { DayCounters } from './insights/responsiveness.ts';
import type {
  Attachment,
  AttachmentContentType,
  Comment,
  Customer,
  Deal,
  DealStatus,
  Direction,
  HistoryEntry,
  Membership,
  Money,
  Organization,
  Registration,
  ScanStatus,
  Solution,
  SolutionKind,
} from './model.ts';
import type { WebhookStore } from './webhooks/ports.ts';

export interface Clock {
  now(): Date;
}

/**
 * How a write that lost a race waits before trying again (domain/retry.ts). A port so that tests
 * control chance and time: no real sleeping, the same pauses on every run.
 */
export interface Backoff {
  /** A number drawn uniformly from [0, 1): the jitter. */
  random(): number;
  sleep(ms: number): Promise<void>;
  /** Milliseconds on a monotonic clock: how long an attempt took sizes the pauses. */
  now(): number;
}

export interface Ids {
  /** A new ULID: unique and sortable by creation time. */
  next(): string;
}

/** Where a list continues. Opaque to the domain; the HTTP layer signs it into a cursor. */
export type PageKey = Record<string, unknown>;
export type PageRequest = { limit: number; after?: PageKey };
export type Page<T> = { items: T[]; next?: PageKey };

/**
 * What creating an org did: `written`; `host-exists` when the installation has its host org
 * already; `sub-bound` when the admin's sub is bound to an org already; `exists` when the org id is
 * taken; `stale` when a concurrent transaction held one of the items.
 */
export type OrgCreateOutcome = 'written' | 'host-exists' | 'sub-bound' | 'exists' | 'stale';

export interface OrgStore {
  get(orgId: string): Promise<Organization | undefined>;
  /**
   * Creates the org with its first admin and the admin's sub binding (`binding`, what `getActor`
   * will answer) in one transaction.
   */
  create(org: Organization, admin: Membership, binding: Actor): Promise<OrgCreateOutcome>;
  /** Partner orgs whose lower-cased name starts with `prefix`, in name order. */
  searchPartners(prefix: string, page: PageRequest): Promise<Page<Organization>>;
  /** The one host org of the installation, if it has been onboarded. */
  getHost(): Promise<Organization | undefined>;
  /** Resolves when the store answers a read; rejects otherwise (GET /health). */
  ping(): Promise<void>;
}

/**
 * How a membership write changes the org's count of active org-admins. The domain works it out; a
 * `-1` makes the store condition the write on at least one other active org-admin remaining.
 */
export type AdminCountChange = -1 | 0 | 1;

/**
 * What a conditional membership write did: `written`; `stale` when the member is no longer at the
 * version that was read (or, for a bind, the sub got bound meanwhile); `last-admin` when the write
 * would have left the org without an active org-admin.
 */
export type MemberWriteOutcome = 'written' | 'stale' | 'last-admin';

export interface MembershipStore {
  /** The active membership of `sub` joined with its org (strongly consistent), or undefined. */
  getActor(sub: string): Promise<Actor | undefined>;
  /** The org's member (invited or active) with this normalized email. */
  get(orgId: string, email: string): Promise<Membership | undefined>;
  /** The org's members, invited and active, each with its `status`, in email order. */
  listByOrg(orgId: string, page: PageRequest): Promise<Page<Membership>>;
  /** Every org's pending invitation (status `invited`) of this normalized email, strongly consistent. */
  findInvitations(email: string): Promise<Membership[]>;
  /** Adds an invitation; `exists` when the org already has a member with that email. */
  invite(membership: Membership): Promise<'written' | 'exists'>;
  /**
   * Makes `active.sub` the member, writing its sub binding (what `getActor` answers): one
   * transaction conditioned on the invitation still being at `active.version - 1` and invited, and
   * on the sub being bound nowhere.
   */
  bind(
    active: Membership,
    binding: Actor,
    admins: AdminCountChange,
  ): Promise<Exclude<MemberWriteOutcome, 'last-admin'>>;
  /** Replaces a member that was read at `next.version - 1`, and its sub binding when given. */
  update(next: Membership, binding: Actor | undefined, admins: AdminCountChange): Promise<MemberWriteOutcome>;
  /** Removes a member that was read at `current.version`, and the binding of `boundSub` when given. */
  remove(
    current: Membership,
    boundSub: string | undefined,
    admins: AdminCountChange,
  ): Promise<MemberWriteOutcome>;
}

/**
 * What a directory write did: `written`; `duns-taken` when the D-U-N-S number it claims is held by
 * another customer (`holderId`, when the store could tell); `stale` when the customer is no longer
 * the version that was read (retired, changed, or for a create, its id is taken).
 */
export type CustomerWriteOutcome =
  | { outcome: 'written' }
  | { outcome: 'duns-taken'; holderId?: string }
  | { outcome: 'stale' };

/**
 * The customer directory. Reads see active entries only: a retired customer is gone from the
 * directory (search, D-U-N-S lookup, and by id), so no new deal can name it.
 */
export interface CustomerStore {
  /** Adds the customer and claims its D-U-N-S number in one transaction. */
  create(customer: Customer): Promise<CustomerWriteOutcome>;
  get(customerId: string): Promise<Customer | undefined>;
  searchByName(country: string, prefix: string, page: PageRequest): Promise<Page<Customer>>;
  getByDuns(duns: string): Promise<Customer | undefined>;
  /**
   * Replaces `previous` with `next` in one transaction with the D-U-N-S guards: the old number is
   * released and the new one claimed.
   */
  update(next: Customer, previous: Customer): Promise<CustomerWriteOutcome>;
  /**
   * Retires `customer` (as read, conditioned on its version) and releases its D-U-N-S number in one
   * transaction; the entry is kept with who retired it and when.
   */
  retire(
    customer: Customer,
    retirement: { at: string; byOrgId: string },
  ): Promise<Exclude<CustomerWriteOutcome, { outcome: 'duns-taken' }>>;
}

/**
 * Which catalog slice to list: one org's own solutions (every kind), the host's or assessment types
 * (by kind), or the co-sell-ready solutions of every partner org except one (the caller's).
 */
export type SolutionFilter =
  | { ownerOrgId: string }
  | { kind: Exclude<SolutionKind, 'partner'> }
  | { coSellReadyPartnersExcept: string };

/**
 * How a solution write moves its owner org's count of co-sell-ready partner solutions (the domain
 * works it out: `ecosystemChange` in directory/solutions.ts); the store applies it in the same
 * transaction as the solution.
 */
export type ReadyCountChange = -1 | 0 | 1;

export interface SolutionStore {
  /** `exists` when the id is taken. */
  create(solution: Solution, ready: ReadyCountChange): Promise<'written' | 'exists'>;
  get(solutionId: string): Promise<Solution | undefined>;
  getMany(solutionIds: readonly string[]): Promise<Solution[]>;
  list(filter: SolutionFilter, page: PageRequest): Promise<Page<Solution>>;
  /**
   * Replaces the solution if its `updatedAt` is still `expectedUpdatedAt`: `stale` when it is not,
   * `missing` when there is no such solution.
   */
  update(
    solution: Solution,
    expectedUpdatedAt: string,
    ready: ReadyCountChange,
  ): Promise<'written' | 'stale' | 'missing'>;
}

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
 * A deal as the caller sees it: what is stored, plus what follows from the catalog (registration)
 * and, on the host's deal, the partners' registrations.
 */
export type DealView = StoredDeal & {
  registration: RegistrationView;
  registrations: SubmittedRegistration[];
};

/**
 * Which index order serves a list page: one direction newest first (optionally one status), every
 * deal of the org by last change oldest first (`updatedAt` from `since` up to `until`), or the deal
 * carrying the org's own CRM id.
 */
export type DealListSource =
  | { by: 'direction'; direction: Direction; status?: DealStatus }
  | { by: 'updated'; since: string; until: string }
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
   * Also read the viewer's own sub binding, in the same request as the page's marks (a presumed
   * caller's confirmation, deals/use-cases/read-deals.ts): the page then carries `caller`.
   */
  confirmCaller?: boolean;
};

/**
 * A page of the viewer's deals. With `confirmCaller`, `caller` is what the viewer's binding says
 * now, read in the same request as the page (absent when the sub is bound to no membership).
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
  /** The user's favorites, most recently marked first; `keep` and `confirmCaller` as for `list`. */
  listFavorites(
    viewerSub: string,
    page: PageRequest,
    options?: Pick<DealListQuery, 'keep' | 'confirmCaller'>,
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

/** Which comments of an engagement a reader gets: its own org's, plus every engagement comment if it takes part. */
export type CommentQuery = { engagementId: string; orgId: string; engagementComments: boolean };

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
  /** The engagement comments created after `afterCreatedAt` (all when undefined), newest first, at most `limit`. */
  engagementCommentsSince(
    engagementId: string,
    afterCreatedAt: string | undefined,
    limit: number,
  ): Promise<Comment[]>;
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

/** Answer counters per org and day (docs/domain.md §8), kept by the deal store with each answer. */
export interface ResponsivenessStore {
  /** For each org, its counters of every day from `fromDay` to `toDay` (`YYYY-MM-DD`); orgs without any are absent. */
  counters(
    orgIds: readonly string[],
    fromDay: string,
    toDay: string,
  ): Promise<Map<string, Map<string, DayCounters>>>;
}

/** The attachments' records (metadata); the bytes are in the FileStore. */
export interface AttachmentStore {
  /** `exists` when the id is taken. */
  create(attachment: Attachment): Promise<'written' | 'exists'>;
  get(dealId: string, attachmentId: string): Promise<Attachment | undefined>;
  /** The deal's attachments, oldest first (at most LIMITS.attachmentsPerDeal are ever created). */
  listByDeal(dealId: string): Promise<Attachment[]>;
  /** Records what the bucket said of the file (uploaded, scan status). */
  update(attachment: Attachment): Promise<void>;
}

/** Where an attachment's bytes live: one object per attachment, named by org, deal and attachment. */
export type FileRef = Pick<Attachment, 'orgId' | 'dealId' | 'id'>;

/** What the bucket knows of a file: absent, or there with its malware scan status. */
export type FileState = { exists: false } | { exists: true; scan: ScanStatus };

export interface FileStore {
  /** A URL that accepts exactly one `PUT` of this content type and size until `expiresAt`. */
  uploadUrl(
    file: FileRef,
    upload: { contentType: AttachmentContentType; size: number; expiresInSeconds: number },
  ): Promise<string>;
  /** A URL that answers one `GET` of the file as a download named `fileName` until it expires. */
  downloadUrl(file: FileRef, download: { fileName: string; expiresInSeconds: number }): Promise<string>;
  inspect(file: FileRef): Promise<FileState>;
}

/** Everything the use cases may need, wired once per entry point by the composition root. */
export type Deps = {
  clock: Clock;
  ids: Ids;
  backoff: Backoff;
  orgs: OrgStore;
  memberships: MembershipStore;
  customers: CustomerStore;
  solutions: SolutionStore;
  deals: DealStore;
  responsiveness: ResponsivenessStore;
  attachments: AttachmentStore;
  files: FileStore;
  webhooks: WebhookStore;
  comments: CommentStore;
};

// ---- Notifications (docs/domain.md §7): what the outbox consumer needs besides the stores above. ----

/** One email to one recipient: a subject and the same message as plain text and as HTML. */
export type OutgoingEmail = { to: string; subject: string; text: string; html: string };

/**
 * What the provider did with one email: accepted it (with its message id, when it gave one), or
 * refused it for good (`code` is the provider's name for the refusal): this message to this address
 * can never be accepted, so it is recorded as failed instead of retried.
 */
export type SendResult =
  | { outcome: 'sent'; messageId?: string }
  | { outcome: 'refused'; code: string; reason: string };

export interface Mailer {
  /** Sends one email; rejects when a later attempt may succeed (an outage, throttling). */
  send(email: OutgoingEmail): Promise<SendResult>;
}

export interface EventPublisher {
  /** Publishes one domain event for CRM connectors and webhooks; rejects when it was not accepted. */
  publish(event: DomainEvent): Promise<void>;
}

/**
 * How a channel ended: its side effect happened (with the provider's reference, e.g. the SES message
 * id), or it was refused for good and will not be tried again.
 */
export type DeliveryResult =
  | { outcome: 'delivered'; reference?: string }
  | { outcome: 'failed'; reason: string };

/**
 * What has been done for one outbox item, per channel: `email:<recipient>` (lower-cased) or
 * `publish`. A channel is `claimed` before the side effect and `done` after it, so a redelivered
 * outbox item repeats nothing that is done, and a claim left by a consumer that died expires.
 */
export type DeliveryClaim =
  | { state: 'claimed' }
  | { state: 'done' }
  /** Another attempt holds the claim until `until` (ISO time). */
  | { state: 'busy'; until: string };

export interface DeliveryLog {
  /** Claims the channel until `leaseUntil` unless it is done or someone else's claim is still live. */
  claim(eventId: string, channel: string, now: Date, leaseUntil: Date): Promise<DeliveryClaim>;
  /** Marks the channel done with its result (kept until `keepUntil`, then removed by TTL). */
  complete(
    eventId: string,
    channel: string,
    at: Date,
    keepUntil: Date,
    result: DeliveryResult,
  ): Promise<void>;
  /** Gives a claim up after a failed attempt, so the next attempt need not wait for the lease. */
  release(eventId: string, channel: string, claimedAt: Date): Promise<void>;
  /** The outbox item is fully handled: it expires (TTL) at `expiresAt`. */
  settle(eventId: string, expiresAt: Date): Promise<void>;
}

/** Counters of the consumer (CloudWatch metrics in AWS, nothing locally). */
export interface NotificationMetrics {
  event(type: string): void;
  emailSent(): void;
  /** A send that failed and will be retried. */
  emailFailed(): void;
  /** A send the provider refused for good: recorded as failed, never retried. */
  emailRejected(): void;
}

/** The outbox consumer's ports: the readers it resolves recipients with, and its side effects. */
export type NotificationDeps = Pick<Deps, 'clock' | 'orgs' | 'memberships' | 'deals' | 'comments'> & {
  mailer: Mailer;
  events: EventPublisher;
  deliveries: DeliveryLog;
  metrics: NotificationMetrics;
};
