/**
 * A deal write as data. Every deal use case decides its whole change here — the next state of each
 * item and the conditions it relies on — and hands the plan to `DealStore.commit`, which stores it
 * as one transaction and decides nothing: the adapter only turns each part into items and keys, and
 * the in-memory store applies the same parts to its maps.
 */

import type { SolutionKind } from '../../directory/model.ts';
import type { InvitationAnswer } from '../../insights/model.ts';
import { answerIncrement } from '../../insights/responsiveness.ts';
import { type AnswerSignal, answerSignal, signalOutcome } from '../../insights/signals.ts';
import type { Actor } from '../../kernel/actor.ts';
import { completeEvents, type DomainEvent, type EventDraft } from '../../kernel/events.ts';
import { sameJson } from '../../kernel/same-json.ts';
import type { Deal, Engagement, HistoryEntry, Participant, SharedTeam } from '../model.ts';
import { nextInvitationAction } from './expiry.ts';
import { changedFields, historyActor, SYSTEM_ACTOR } from './history.ts';
import type { InvitationRateWrite } from './invitation-limits.ts';
import { sharedTeamChange, withSelfParticipant } from './participants.ts';

/**
 * A deal's state as stored: the deal and, while it waits for an answer, when the expiry job must
 * next look at it (reminder, then expiry). Without `nextActionAt` the deal is out of that index.
 */
export type DealState = { deal: Deal; nextActionAt?: string };

/** What one answer adds to the invitee org's counters of one day (docs/domain.md §8). */
export type AnswerCount = { orgId: string; day: string; answered: boolean; bucket: number };

/**
 * Participant entries that change on the engagement and on every deal's copy of it. Conditioned on
 * the engagement still being at `readVersion`: the version every copy was read at, so two changes of
 * one engagement never both land.
 */
export type EngagementMove = {
  engagementId: string;
  readVersion: number;
  version: number;
  /** The entries set (by org id); entries not named stay as they are. */
  entries: Record<string, Participant>;
  /** Every other org's deal whose copy moves along; each must still exist. */
  copies: { orgId: string; dealId: string }[];
};

export type DealPlan = {
  /** Deals that must not exist yet: a created deal, the inbound deals of invitations. */
  created: DealState[];
  /** The engagement a created deal starts; must not exist yet. */
  engagement?: Engagement;
  /**
   * The acting deal's change, conditioned on the stored deal still being at the version of
   * `previous` (the state it was read in). Only its own fields are written from `next`: its participants and `engagementVersion` move with
   * `engagementMove` (other orgs' changes move a deal's copy without touching its version).
   */
  changed?: { previous: DealState; next: DealState };
  /**
   * Other orgs' deals the change moves along (the invitations it withdraws), each conditioned on
   * its version as read, so a concurrent answer or expiry of the same invitation makes the whole
   * plan a conflict. Their participants move with `engagementMove`, which names them in no copy.
   */
  others?: { previous: DealState; next: DealState }[];
  engagementMove?: EngagementMove;
  /**
   * Shared teams the change writes whole (at most the acting org's). Each is one record of its own,
   * ordered by the conditions of the plan's deal write: only that org's one taking-part deal writes it.
   */
  teams?: SharedTeam[];
  history: HistoryEntry[];
  /**
   * Invitation answers (and expiries): kept per org, each counted for the org's responsiveness and
   * added to the org's signal tallies of the answered deal's features (insights/signals.ts).
   */
  answers: { answer: InvitationAnswer; count: AnswerCount; signal: AnswerSignal }[];
  /** Domain events, written to the outbox with the change. */
  events: DomainEvent[];
  /**
   * The invited orgs' rate records (rules/invitation-limits.ts), each conditioned on the version it
   * was read at (absent when none was read), so the limits are conditions of the invitation's write.
   */
  invitationRates?: InvitationRateWrite[];
  /**
   * The caller's membership as the decision read it: the write is conditioned on it being unchanged
   * (same org, same version). Absent for the scheduled job and for callers read without a version.
   */
  authorizedBy?: MembershipCheck;
  /**
   * The new owner's membership as the decision read it (rules/owner.ts): the write is conditioned
   * on it still being active at that version, so a member removed or changed meanwhile is never
   * made an owner.
   */
  ownerCheck?: OwnerCheck;
};

export type MembershipCheck = { sub: string; orgId: string; version: number };

export type OwnerCheck = { orgId: string; email: string; version: number };

const authorizedBy = (actor: Actor | undefined): { authorizedBy?: MembershipCheck } =>
  actor?.membershipVersion !== undefined
    ? { authorizedBy: { sub: actor.sub, orgId: actor.orgId, version: actor.membershipVersion } }
    : {};

/** A plan that changes an existing deal. */
export type DealChangePlan = DealPlan & { changed: NonNullable<DealPlan['changed']> };

/**
 * The next state of a deal: versioned, stamped, and its own participant entry in step; undefined
 * when `proposed` changes nothing, so nothing is written.
 */
export const nextVersion = (previous: Deal, proposed: Deal, now: Date): Deal | undefined =>
  proposed === previous || changedFields(previous, proposed).length === 0
    ? undefined
    : versioned(previous, proposed, now.toISOString());

/** The next state of a deal whose change is known to be one (the scheduled job, registration reviews). */
export const versioned = (previous: Deal, proposed: Deal, at: string): Deal =>
  withSelfParticipant({ ...proposed, version: previous.version + 1, updatedAt: at });

export const dealState = (deal: Deal): DealState =>
  deal.status === 'received' && deal.invitation
    ? { deal, nextActionAt: nextInvitationAction(deal.invitation) }
    : { deal };

const answerCount = (answer: InvitationAnswer): AnswerCount => ({
  orgId: answer.orgId,
  ...answerIncrement(answer),
});

/** An invitee's deal that leaves `received` (answered or expired) ends its invitation: one answer. */
export const invitationAnswer = (previous: Deal, next: Deal): InvitationAnswer | undefined =>
  previous.status === 'received' &&
  previous.invitation &&
  next.invitation?.answeredAt &&
  (next.status === 'accepted' || next.status === 'declined' || next.status === 'expired')
    ? {
        orgId: next.orgId,
        dealId: next.id,
        invitedAt: previous.invitation.invitedAt,
        answeredAt: next.invitation.answeredAt,
        outcome: next.status,
      }
    : undefined;

/** What the answered deal tells the partner suggestions: its features as offered, and the outcome. */
const signalOf = (
  previous: Deal,
  next: Deal,
  answer: InvitationAnswer,
  kinds: Readonly<Record<string, SolutionKind>>,
): AnswerSignal =>
  answerSignal({
    orgId: answer.orgId,
    deal: {
      location: previous.location,
      solutions: previous.solutions,
      kinds: previous.solutions.flatMap((id) => (kinds[id] ? [kinds[id]] : [])),
      helpType: previous.invitation?.helpType,
      value: previous.value,
    },
    outcome: signalOutcome(answer.outcome, next.declined?.reason),
    answeredAt: answer.answeredAt,
  });

/**
 * How a deal's change moves its engagement: the participant entries that differ between `previous`
 * and `next` (its own entry after a status, team or registration change, new invitees after
 * invitations, withdrawn invitees). Every other deal of the engagement takes the copy, except the
 * deals the plan changes itself (`excluded`) and the old deal of a re-invited org, which left the
 * engagement when its invitation ended and keeps its copy as it was then.
 */
const engagementMoveOf = (
  previous: Deal,
  next: Deal,
  excluded: ReadonlySet<string> = new Set(),
): EngagementMove | undefined => {
  const entries = Object.fromEntries(
    Object.entries(next.participants).filter(
      ([orgId, participant]) => !sameJson(previous.participants[orgId], participant),
    ),
  );
  if (Object.keys(entries).length === 0) return undefined;
  return {
    engagementId: previous.engagementId,
    readVersion: previous.engagementVersion,
    version: previous.engagementVersion + 1,
    entries,
    copies: Object.values(previous.participants)
      .filter(
        ({ orgId, dealId }) =>
          orgId !== previous.orgId &&
          !excluded.has(dealId) &&
          (next.participants[orgId]?.dealId ?? dealId) === dealId,
      )
      .map(({ orgId, dealId }) => ({ orgId, dealId })),
  };
};

/**
 * An invitee's received deal, withdrawn by its inviter (docs/domain.md §4): terminal, out of the
 * expiry index (`dealState` keeps only received deals there), and no answer is counted for it.
 */
export const withdrawnDeal = (invitee: Deal, at: string): Deal =>
  versioned(invitee, { ...invitee, status: 'withdrawn' }, at);

/** A new inbound deal of an invitation, with its first history entry and the org's rate record. */
export type NewInboundDeal = { deal: Deal; history: HistoryEntry; rate: InvitationRateWrite };

const invitationRates = (invitees: readonly NewInboundDeal[]): { invitationRates?: InvitationRateWrite[] } =>
  invitees.length > 0 ? { invitationRates: invitees.map((invitee) => invitee.rate) } : {};

const teamsOf = (teams: SharedTeam[]): { teams?: SharedTeam[] } => (teams.length > 0 ? { teams } : {});

/** A new deal's first history entry. */
export const firstEntry = (
  ids: { next(): string },
  deal: Deal,
  actor: Actor,
  action: 'created' | 'received',
): HistoryEntry => ({
  id: ids.next(),
  dealId: deal.id,
  at: deal.createdAt,
  actor: historyActor(actor),
  action,
  changes: [],
});

/** Creating a deal: the deal, its engagement, the inbound deals of invitations sent with it. */
export const creationPlan = (
  ids: { next(): string },
  input: {
    deal: Deal;
    engagement: Engagement;
    actor: Actor;
    invitees: readonly NewInboundDeal[];
    events: readonly EventDraft[];
  },
): DealPlan => ({
  created: [input.deal, ...input.invitees.map((invitee) => invitee.deal)].map(dealState),
  engagement: input.engagement,
  ...teamsOf(sharedTeamChange(undefined, input.deal, true)),
  history: [
    firstEntry(ids, input.deal, input.actor, 'created'),
    ...input.invitees.map((invitee) => invitee.history),
  ],
  answers: [],
  events: completeEvents(input.events, input.deal.createdAt, ids.next, {
    sub: input.actor.sub,
    email: input.actor.email,
  }),
  ...invitationRates(input.invitees),
  ...authorizedBy(input.actor),
});

/**
 * Changing one deal from `previous` (as read) to `next` (versioned: see `nextVersion`): its history
 * entry, the engagement move its participants call for, the invitation answer it ends, its events,
 * and the inbound deals of invitations it sends.
 */
export const changePlan = (
  ids: { next(): string },
  change: {
    previous: Deal;
    next: Deal;
    action: string;
    /** The member making the change; undefined for the scheduled job. */
    actor: Actor | undefined;
    events: readonly EventDraft[];
    invitees?: readonly NewInboundDeal[];
    /**
     * Other orgs' received deals the change withdraws, as read, and their withdrawn states
     * (`withdrawnDeal`); the participants of `next` need not mention them.
     */
    withdrawals?: readonly { previous: Deal; next: Deal }[];
    /**
     * The kinds of the changed deal's solutions as the catalog has them (by solution id): an answer
     * is counted by them. A solution not named counts by its id alone.
     */
    solutionKinds?: Readonly<Record<string, SolutionKind>>;
  },
): DealChangePlan => {
  const { previous, actor } = change;
  const withdrawals = change.withdrawals ?? [];
  const withWithdrawals: Deal = {
    ...change.next,
    participants: {
      ...change.next.participants,
      ...Object.fromEntries(
        withdrawals.flatMap(({ next: withdrawn }) => {
          const entry = withdrawn.participants[withdrawn.orgId];
          return entry ? [[withdrawn.orgId, entry] as const] : [];
        }),
      ),
    },
  };
  const move = engagementMoveOf(
    previous,
    withWithdrawals,
    new Set(withdrawals.map(({ previous: invitee }) => invitee.id)),
  );
  const next = move ? { ...withWithdrawals, engagementVersion: move.version } : withWithdrawals;
  const answer = invitationAnswer(previous, next);
  const invitees = change.invitees ?? [];
  const stamp = (deal: Deal): Deal => (move ? { ...deal, engagementVersion: move.version } : deal);
  return {
    created: invitees.map((invitee) => dealState(invitee.deal)),
    changed: { previous: dealState(previous), next: dealState(next) },
    ...(withdrawals.length > 0
      ? {
          others: withdrawals.map((withdrawal) => ({
            previous: dealState(withdrawal.previous),
            next: dealState({ ...stamp(withdrawal.next), participants: next.participants }),
          })),
        }
      : {}),
    ...(move ? { engagementMove: move } : {}),
    ...teamsOf(sharedTeamChange(previous, next, move?.entries[next.orgId] !== undefined)),
    history: [
      {
        id: ids.next(),
        dealId: previous.id,
        at: next.updatedAt,
        actor: actor ? historyActor(actor) : SYSTEM_ACTOR,
        action: change.action,
        changes: changedFields(previous, next),
      },
      ...withdrawals.map(({ previous: invitee, next: withdrawn }) => ({
        id: ids.next(),
        dealId: invitee.id,
        at: withdrawn.updatedAt,
        actor: actor ? historyActor(actor) : SYSTEM_ACTOR,
        action: 'withdrawn',
        changes: changedFields(invitee, withdrawn),
      })),
      ...invitees.map((invitee) => invitee.history),
    ],
    answers: answer
      ? [
          {
            answer,
            count: answerCount(answer),
            signal: signalOf(previous, next, answer, change.solutionKinds ?? {}),
          },
        ]
      : [],
    events: completeEvents(
      change.events,
      next.updatedAt,
      ids.next,
      actor && { sub: actor.sub, email: actor.email },
    ),
    ...invitationRates(invitees),
    ...authorizedBy(actor),
  };
};
