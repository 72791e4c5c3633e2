import type { Deal, Participant } from '../../model.ts';
import { sameJson } from '../../same-json.ts';

/**
 * What the engagement's other orgs see of this deal: its status and, once registered, its
 * registration's status. Every write keeps the deal's own entry in step with the deal.
 */
export const withSelfParticipant = (deal: Deal): Deal => {
  const self = deal.participants[deal.orgId];
  if (!self) return deal;
  const { registration: _previous, ...rest } = self;
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
