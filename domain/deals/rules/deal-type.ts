import type { Deal, DealType, Participant } from '../model.ts';

/**
 * docs/domain.md §2: the type follows from who takes part, so it can never disagree with the participants.
 * The host counts from the moment it is invited, whether or not it has answered.
 */
export const dealType = (deal: Pick<Deal, 'participants' | 'assessmentLocation'>): DealType => {
  if (deal.assessmentLocation !== undefined) return 'solution-assessment';
  const participants = Object.values(deal.participants);
  if (participants.some((participant) => participant.kind === 'host')) return 'co-sell';
  if (participants.length > 1) return 'partner-to-partner';
  return 'private';
};

/** What one org may see of the others in its engagement: name, kind and status only (docs/domain.md §4). */
export const otherParticipants = (deal: Pick<Deal, 'participants' | 'orgId'>): Participant[] =>
  Object.values(deal.participants).filter((participant) => participant.orgId !== deal.orgId);
