import { LIMITS } from '../../kernel/limits.ts';
import { sameJson } from '../../kernel/same-json.ts';
import {
  type Deal,
  type Participant,
  type SeenParticipant,
  type SharedTeam,
  type TeamMember,
  takesPart,
} from '../model.ts';
import { mayWithdraw } from './invitations.ts';

/**
 * What the engagement's other orgs see of this deal on their copies of its entry: its status and,
 * once registered, its registration's status (docs/domain.md §4). Every write keeps the deal's own
 * entry in step with the deal, so a status change moves the engagement and every other deal's copy
 * in the same transaction (rules/plan.ts). The team is not on the entry: it is the org's
 * `SharedTeam`, and an entry the previous release wrote loses its copied team here.
 */
export const withSelfParticipant = (deal: Deal): Deal => {
  const self = deal.participants[deal.orgId];
  if (!self) return deal;
  const { registration: _previous, team: _team, ...rest } = self;
  const updated: Participant = {
    ...rest,
    status: deal.status,
    ...(deal.registration
      ? { registration: { status: deal.registration.status, submittedAt: deal.registration.submittedAt } }
      : {}),
  };
  return { ...deal, participants: { ...deal.participants, [deal.orgId]: updated } };
};

/** Whether the org's entry among the participants changed, so the engagement must change with it. */
export const selfParticipantChanged = (previous: Deal, next: Deal): boolean =>
  !sameJson(previous.participants[previous.orgId], next.participants[next.orgId]);

/** The team the org shares with the engagement: its first members, only while it takes part. */
const sharedTeamOf = (deal: Deal): TeamMember[] | undefined =>
  takesPart(deal.status) ? deal.team.slice(0, LIMITS.sharedTeamMembers) : undefined;

/**
 * The shared team a change of the org's deal writes: whenever the org takes part and its shared
 * team differs from what it was, it started taking part, or its entry moved (`entryMoved`). The last
 * one rewrites the entry on every copy without the team the previous release copied there, so the
 * same transaction writes the team where it now lives. A deal no longer taking part writes none (no
 * taking-part status is ever left, and who sees a team is decided on read).
 */
export const sharedTeamChange = (
  previous: Deal | undefined,
  next: Deal,
  entryMoved: boolean,
): SharedTeam[] => {
  const team = sharedTeamOf(next);
  if (!team) return [];
  const unchanged = previous !== undefined && !entryMoved && sameJson(sharedTeamOf(previous), team);
  return unchanged ? [] : [{ engagementId: next.engagementId, orgId: next.orgId, team }];
};

/**
 * The orgs whose team the deal's org sees: each other org taking part, once the deal's org takes part
 * itself (an invitee that has not accepted sees the inviter's team on its invitation, nobody else's).
 */
export const teamsSeenBy = (deal: Pick<Deal, 'participants' | 'orgId' | 'status'>): string[] =>
  takesPart(deal.status)
    ? Object.values(deal.participants)
        .filter((participant) => participant.orgId !== deal.orgId && takesPart(participant.status))
        .map((participant) => participant.orgId)
    : [];

/**
 * The other orgs of the engagement as the deal's org may see them: name, kind and status (never their
 * deals or registrations), and the team of each org `teamsSeenBy` names, from `teams` (the shared
 * teams read for this deal) or, for an org that has written none yet, the copy the previous release
 * kept on its entry. Without `teams` (a list page, which reads none) every team is empty.
 */
export const participantsSeenBy = (
  deal: Pick<Deal, 'participants' | 'orgId' | 'status' | 'id' | 'direction'>,
  teams?: Readonly<Record<string, TeamMember[]>>,
): SeenParticipant[] => {
  const seen = new Set(teams ? teamsSeenBy(deal) : []);
  return Object.values(deal.participants)
    .filter((participant) => participant.orgId !== deal.orgId)
    .map((participant) => ({
      orgId: participant.orgId,
      orgName: participant.orgName,
      kind: participant.kind,
      status: participant.status,
      team: seen.has(participant.orgId) ? (teams?.[participant.orgId] ?? participant.team ?? []) : [],
      actions: mayWithdraw(deal, participant) ? ['withdraw' as const] : [],
    }));
};
