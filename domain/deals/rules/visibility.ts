import { type Actor, hasRole, sameEmail, seesAllDeals } from '../../kernel/actor.ts';
import type { Deal } from '../model.ts';

/**
 * docs/domain.md §5: a referral-user sees a deal of its own org only when the deal's location is one of its
 * locations and it is on the deal's team (matched by email).
 */
export const canSeeDeal = (
  actor: Pick<Actor, 'orgId' | 'roles' | 'locations' | 'email'>,
  deal: Pick<Deal, 'orgId' | 'location' | 'team' | 'status'>,
): boolean => {
  if (deal.orgId !== actor.orgId) return false;
  if (seesAllDeals(actor)) return true;
  if (!hasRole(actor, 'referral-user')) return false;
  // An unanswered invitation has no team yet: everyone of its location may see it and answer it.
  if (deal.status === 'received') return actor.locations.includes(deal.location);
  return (
    actor.locations.includes(deal.location) &&
    deal.team.some((member) => sameEmail(member.email, actor.email))
  );
};
