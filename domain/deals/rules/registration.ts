/** Registration eligibility (docs/domain.md §6): pure rules, shared by reads and by "Register now". */

import { LIMITS } from '../../kernel/limits.ts';
import type { Deal, Registration, RegistrationStatus, RegistrationUnmet } from '../model.ts';

export type RegistrationView = {
  eligible: boolean;
  unmet: RegistrationUnmet[];
  status: RegistrationStatus;
  messages: Registration['messages'];
};

const HOST_ENGAGED = new Set(['accepted', 'won', 'closed']);

/** The conditions a partner deal still misses for registration, in the order of docs/domain.md §6. */
export const registrationUnmet = (deal: Deal, incentiveEligible: boolean): RegistrationUnmet[] => {
  const host = Object.values(deal.participants).find(
    (participant) => participant.kind === 'host' && participant.orgId !== deal.orgId,
  );
  const unmet: RegistrationUnmet[] = [];
  if (!host) unmet.push('host-not-invited');
  else if (!HOST_ENGAGED.has(host.status)) unmet.push('host-not-engaged');
  if (!incentiveEligible) unmet.push('no-incentive-eligible-solution');
  if (deal.status !== 'won' && deal.status !== 'closed') unmet.push('not-won');
  return unmet;
};

export const isHostDeal = (deal: Deal): boolean => deal.participants[deal.orgId]?.kind === 'host';

export const registrationView = (deal: Deal, incentiveEligible: boolean): RegistrationView => {
  const unmet = isHostDeal(deal) ? [] : registrationUnmet(deal, incentiveEligible);
  return {
    eligible: !isHostDeal(deal) && unmet.length === 0,
    unmet,
    status: deal.registration?.status ?? 'none',
    messages: deal.registration?.messages ?? [],
  };
};

type ReviewMessage = Registration['messages'][number];

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

/**
 * The messages a deal keeps: the most recent 50, and fewer when their text would pass 100,000 bytes
 * (LIMITS), so no number of review rounds grows the deal past DynamoDB's item limit. The history
 * keeps every message.
 */
export const retainedMessages = (messages: readonly ReviewMessage[]): ReviewMessage[] => {
  const kept: ReviewMessage[] = [];
  let bytes = 0;
  for (const message of [...messages].reverse()) {
    bytes += utf8Bytes(message.text);
    if (kept.length === LIMITS.registrationMessages || bytes > LIMITS.registrationMessageBytes) break;
    kept.unshift(message);
  }
  return kept;
};
