/**
 * Which org hears about a domain event through its webhooks, as which type, about which of its own
 * deals (docs/api.md "Webhooks"): an org receives events about its own deals only, and `dealId` is
 * always its own deal's id. An invitation is told to the invitee (its new deal), never to the
 * inviter; an answer or expiry is told to both sides, each about its own deal. A domain event
 * without a line here (a reminder) reaches no webhook. A new domain event type is one new line.
 */
import type { DomainEvent, EventType } from '../kernel/events.ts';
import type { WebhookEventType } from './model.ts';

/** One org to notify, about one of its own deals. */
export type WebhookNotice = { type: WebhookEventType; orgId: string; dealId: string };

type Route = (event: DomainEvent) => WebhookNotice[];

/** The deal the event names, in the org that owns it. */
const ownDeal =
  (type: WebhookEventType): Route =>
  (event) => [{ type, orgId: event.orgId, dealId: event.dealId }];

const inviteeSide = (type: WebhookEventType, event: DomainEvent): WebhookNotice[] =>
  event.invitation
    ? [{ type, orgId: event.invitation.inviteeOrgId, dealId: event.invitation.inviteeDealId }]
    : [];

const inviterSide = (type: WebhookEventType, event: DomainEvent): WebhookNotice[] =>
  event.invitation
    ? [{ type, orgId: event.invitation.inviterOrgId, dealId: event.invitation.inviterDealId }]
    : [];

const invitee =
  (type: WebhookEventType): Route =>
  (event) =>
    inviteeSide(type, event);

const bothSides =
  (type: WebhookEventType): Route =>
  (event) => [...inviteeSide(type, event), ...inviterSide(type, event)];

/**
 * Keyed by the domain's event type (`Partial`: event types other releases add stay silent until
 * they get their line).
 */
export const WEBHOOK_ROUTES: Partial<Record<EventType, Route>> = {
  'deal.created': ownDeal('deal.created'),
  'deal.updated': (event) =>
    ownDeal(event.detail?.change === 'stage' ? 'deal.stage-changed' : 'deal.updated')(event),
  'deal.owner-changed': ownDeal('deal.owner-changed'),
  'deal.won': ownDeal('deal.closed'),
  'deal.lost': ownDeal('deal.closed'),
  'invitation.created': invitee('invitation.received'),
  'invitation.accepted': bothSides('invitation.accepted'),
  'invitation.declined': bothSides('invitation.declined'),
  'invitation.expired': bothSides('invitation.expired'),
  'invitation.withdrawn': bothSides('invitation.withdrawn'),
  // The author's org and every other org taking part, each about its own deal.
  'comment.created': (event) => [
    ...ownDeal('comment.created')(event),
    ...(event.audience ?? []).map(({ orgId, dealId }) => ({
      type: 'comment.created' as const,
      orgId,
      dealId,
    })),
  ],
  'registration.updated': (event) =>
    ownDeal(event.detail?.status === 'submitted' ? 'registration.submitted' : 'registration.reviewed')(event),
};

export const webhookNotices = (event: DomainEvent): WebhookNotice[] =>
  WEBHOOK_ROUTES[event.type]?.(event) ?? [];
