import { LIMITS } from '../../kernel/limits.ts';
import { sameJson } from '../../kernel/same-json.ts';
import { type Deal, type Participant, type SeenParticipant, takesPart } from '../model.ts';
import { mayWithdraw } from './invitations.ts';

/**
 * What the engagement's other orgs see of this deal: its status, once registered its registration's
 * status, and while the org takes part its deal team (docs/domain.md §4). Every write keeps the
 * deal's own entry in step with the deal, so a team change moves the engagement and every other
 * deal's copy in the same transaction (rules/plan.ts).
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
    ...(takesPart(deal.status) ? { team: deal.team.slice(0, LIMITS.sharedTeamMembers) } : {}),
  };
  return { ...deal, participants: { ...deal.participants, [deal.orgId]: updated } };
};

/** Whether the org's entry among the participants changed, so the engagement must change with it. */
export const selfParticipantChanged = (previous: Deal, next: Deal): boolean =>
  !sameJson(previous.participants[previous.orgId], next.participants[next.orgId]);

/**
 * The other orgs of the engagement as the deal's org may see them: name, kind and status (never their
 * deals or registrations), and the
 * team of each org taking part, but only once the viewing org takes part itself (an invitee that has
 * not accepted sees the inviter's team on its invitation, nobody else's).
 */
export const participantsSeenBy = (
  deal: Pick<Deal, 'participants' | 'orgId' | 'status' | 'id' | 'direction'>,
): SeenParticipant[] =>
  Object.values(deal.participants)
    .filter((participant) => participant.orgId !== deal.orgId)
    .map((participant) => ({
      orgId: participant.orgId,
      orgName: participant.orgName,
      kind: participant.kind,
      status: participant.status,
      team: takesPart(deal.status) && takesPart(participant.status) ? (participant.team ?? []) : [],
      actions: mayWithdraw(deal, participant) ? ['withdraw' as const] : [],
    }));
