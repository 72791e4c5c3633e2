/**
 * Domain events: what happened to a deal, written to the transactional outbox in the same write as
 * the change itself. A stream consumer publishes them (for CRM connectors and webhooks) and turns the
 * ones people must hear about into emails (docs/domain.md §7). Events name deals and orgs by id and carry
 * only what every recipient may see; the consumer reads the rest from the table.
 */

export const EVENT_TYPES = [
  'deal.created',
  'deal.updated',
  'deal.won',
  'deal.lost',
  /** Its `detail.owner` is the new owner's address, or absent when the deal was left unowned. */
  'deal.owner-changed',
  'invitation.created',
  'invitation.accepted',
  'invitation.declined',
  'invitation.expired',
  'invitation.reminder',
  'invitation.withdrawn',
  'registration.updated',
  'comment.created',
  /** The sweep's: a digest owed to one recipient deal (`dealId`) came due; its claim is already on the mark. */
  'comment.digest',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type DomainEvent = {
  /** A ULID: the outbox item's id, and the idempotency key of everything sent for it. */
  id: string;
  type: EventType;
  at: string;
  /** The org whose deal changed, and that deal. */
  orgId: string;
  dealId: string;
  engagementId: string;
  /** Who caused it; absent for the scheduled expiry job. */
  actor?: { sub: string; email: string };
  /**
   * Invitation events: both sides of the invitation. The invitee's deal is `dealId` for answers and
   * expiry; the inviter's deal is `dealId` for `invitation.created`.
   */
  invitation?: { inviterOrgId: string; inviterDealId: string; inviteeOrgId: string; inviteeDealId: string };
  /** `comment.created`: the comment's id (its text is read from the table, as each recipient may see it). */
  commentId?: string;
  /**
   * `comment.created`: the other orgs taking part when it was written, each with its own deal, so
   * their connectors hear of it about their own deal (webhooks/routing.ts).
   */
  audience?: { orgId: string; dealId: string }[];
  /** Decline reason, lost reason, registration status: the one detail the notification needs. */
  detail?: Record<string, string>;
};

/**
 * Events about an org's people rather than its deals. They are written to the same outbox, but only
 * emailed: never published to the event bus nor fanned out to webhooks, since an org's connectors
 * and endpoints are about deals and must not learn who is invited to it (docs/decisions/0121).
 */
export const MEMBER_EVENT_TYPES = ['member.invited'] as const;
export type MemberEventType = (typeof MEMBER_EVENT_TYPES)[number];

export type MemberEvent = {
  /** A ULID: the outbox item's id, and the idempotency key of the email sent for it. */
  id: string;
  type: MemberEventType;
  at: string;
  /** The org the person is invited to, and the (normalized) address invited. */
  orgId: string;
  member: { email: string };
  /** The org-admin who invited, as the invitee reads it in the email. */
  actor: { sub: string; email: string; name: string };
};

/** What an outbox item holds: a deal's event or an org's member event. */
export type OutboxEvent = DomainEvent | MemberEvent;

export const isMemberEvent = (event: OutboxEvent): event is MemberEvent =>
  (MEMBER_EVENT_TYPES as readonly string[]).includes(event.type);

/** An event before it has an id, a time and an actor: what a use case decides, the write path completes. */
export type EventDraft = Omit<DomainEvent, 'id' | 'at' | 'actor'>;

type DealRef = { orgId: string; id: string; engagementId: string };

/** The event of a change to one deal. */
export const dealEvent = (type: EventType, deal: DealRef, extra: Partial<EventDraft> = {}): EventDraft => ({
  type,
  orgId: deal.orgId,
  dealId: deal.id,
  engagementId: deal.engagementId,
  ...extra,
});

/** Stamps drafts with ids, the time and the actor of the write that carries them. */
export const completeEvents = (
  drafts: readonly EventDraft[],
  at: string,
  nextId: () => string,
  actor?: { sub: string; email: string },
): DomainEvent[] => drafts.map((draft) => ({ id: nextId(), at, ...(actor ? { actor } : {}), ...draft }));
