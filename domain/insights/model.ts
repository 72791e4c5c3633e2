/** Records of the insights context (docs/domain.md §8). */

/** An invitee's answer (or the expiry), kept per org for responsiveness (docs/domain.md §8). */
export type InvitationAnswer = {
  orgId: string;
  dealId: string;
  invitedAt: string;
  answeredAt: string;
  outcome: 'accepted' | 'declined' | 'expired';
};
