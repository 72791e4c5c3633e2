/**
 * Recent contacts — docs/api.md `GET /v1/contacts/recent`: the distinct team members of the org's most
 * recent deals the caller may see, newest deal first, for filling in a team quickly.
 * Bounded: it looks at the org's 50 most recently created deals (one Query).
 */

import type { TeamMember } from '../deals/model.ts';
import { canSeeDeal } from '../deals/rules/visibility.ts';
import type { Deps } from '../deps.ts';
import type { Actor } from '../kernel/actor.ts';

export const RECENT_DEALS_FOR_CONTACTS = 50;

export const recentContacts = async (deps: Deps, actor: Actor, limit: number): Promise<TeamMember[]> => {
  const deals = await deps.deals.recentDeals(actor.orgId, RECENT_DEALS_FOR_CONTACTS);
  const seen = new Set<string>();
  const contacts: TeamMember[] = [];
  for (const deal of deals) {
    if (!canSeeDeal(actor, deal)) continue;
    for (const member of deal.team) {
      const key = member.email.trim().toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      contacts.push(member);
    }
  }
  return contacts.slice(0, limit);
};
