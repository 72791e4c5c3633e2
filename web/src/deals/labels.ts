/**
 * The deal enumerations the console shows and offers, typed by the typed client (the OpenAPI
 * document), never imported from the server's domain: the compiler holds the lists to the API's
 * unions; test/unit/web holds the order and the stage probabilities to the domain's.
 */
import type { paths, Schemas } from '@co-sell/client';
import { membersOf } from '../common/enums.ts';

type Deal = Schemas['DealResponse'];
export type DealStatus = Deal['status'];
export type Stage = Deal['stage'];
export type DeclineReason = Schemas['DeclineBody']['reason'];
export type LostReason = Extract<Schemas['CloseDealBody'], { outcome: 'lost' }>['reason'];
export type View = NonNullable<NonNullable<paths['/v1/deals']['get']['parameters']['query']>['view']>;
export type DealType = Deal['type'];
export type Direction = Deal['direction'];
export type RegistrationStatus = Deal['registration']['status'];
export type RegistrationUnmet = Deal['registration']['unmet'][number];
export type OrgKind = Deal['participants'][number]['kind'];

/** What each value is called on screen; a value the API adds does not compile until it has a label. */
export const STATUS_LABELS: Readonly<Record<DealStatus, string>> = {
  received: 'Received',
  accepted: 'Accepted',
  won: 'Won',
  lost: 'Lost',
  declined: 'Declined',
  expired: 'Expired',
  withdrawn: 'Withdrawn',
  closed: 'Registration decided',
};

export const TYPE_LABELS: Readonly<Record<DealType, string>> = {
  private: 'Private',
  'co-sell': 'Co-sell',
  'partner-to-partner': 'Partner to partner',
  'solution-assessment': 'Solution assessment',
};

export const DIRECTION_LABELS: Readonly<Record<Direction, string>> = {
  outbound: 'Outbound',
  inbound: 'Inbound',
};

export const ORG_KIND_LABELS: Readonly<Record<OrgKind, string>> = { host: 'host', partner: 'partner' };

export const REGISTRATION_STATUS_LABELS: Readonly<Record<RegistrationStatus, string>> = {
  none: 'Not registered',
  submitted: 'Submitted',
  'in-review': 'In review',
  'action-required': 'Action required',
  approved: 'Approved',
  rejected: 'Rejected',
};

export const UNMET_LABELS: Readonly<Record<RegistrationUnmet, string>> = {
  'host-not-invited': 'the host is not invited',
  'host-not-engaged': 'the host has not accepted',
  'no-incentive-eligible-solution': 'no solution on the deal is incentive eligible',
  'not-won': 'the deal is not won',
};

/** The statuses in lifecycle order, as the list's filter offers them. */
export const DEAL_STATUSES = membersOf<DealStatus>({
  received: true,
  accepted: true,
  won: true,
  lost: true,
  declined: true,
  expired: true,
  withdrawn: true,
  closed: true,
});

/** A deal in one of these takes no more changes: no comments, and the list's "Closed" choice. */
export const TERMINAL_STATUSES: ReadonlySet<DealStatus> = new Set<DealStatus>([
  'won',
  'lost',
  'declined',
  'expired',
  'withdrawn',
  'closed',
]);

/**
 * Each standard stage's win probability in percent, in pipeline order: the stage bar and the stage
 * dialog show it, and a stage change shows it before the API answers.
 */
export const STAGE_PROBABILITY: Readonly<Record<Stage, number>> = {
  created: 10,
  accepted: 10,
  qualified: 20,
  developed: 40,
  proposed: 60,
  negotiated: 80,
  won: 100,
};
export const STAGES = Object.keys(STAGE_PROBABILITY) as Stage[];

export const DECLINE_REASONS = membersOf<DeclineReason>({
  'not-a-fit': true,
  'insufficient-information': true,
  'no-capacity': true,
  'already-engaged': true,
  'customer-not-interested': true,
  other: true,
});

export const LOST_REASONS = membersOf<LostReason>({
  'lost-to-competitor': true,
  'no-budget': true,
  'no-decision': true,
  'customer-unresponsive': true,
  other: true,
});

/** The deal list's tabs, in the order they show. */
export const VIEW_LABELS: Readonly<Record<View, string>> = {
  inbound: 'Inbound',
  outbound: 'Outbound',
  favorites: 'Favorites',
};

/** Each tab's deals as a title and a table caption says them. */
export const VIEW_TITLES: Readonly<Record<View, string>> = {
  inbound: 'Inbound deals',
  outbound: 'Outbound deals',
  favorites: 'Favorite deals',
};
export const VIEWS = Object.keys(VIEW_LABELS) as View[];
