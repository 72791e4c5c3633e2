/**
 * The deal's owner (docs/domain.md §1, §5): the one person of the deal's org who answers for it.
 *
 * - Eligible owners are the org's active members who may see the deal: org-admins and
 *   referrals-admins always, a referral-user when the deal's location is one of theirs and they are
 *   on its team (the same rule as seeing it, rules/visibility.ts). An invited person who has not
 *   joined, another org's member and an unknown address are not eligible.
 * - The org's org-admins and referrals-admins may give the deal an owner or leave it unowned; so may
 *   its current owner (handing it on).
 * - Creating a deal makes its creator the owner; accepting an invitation makes the accepting person
 *   the owner of the org's deal when it has none. An API client is nobody: it owns nothing.
 * - A removed member owns nothing: removing the member releases its deals (use-cases/owner.ts).
 */

import type { Membership } from '../../identity/model.ts';
import { type Actor, sameEmail, seesAllDeals } from '../../kernel/actor.ts';
import { BusinessRuleError } from '../../kernel/errors.ts';
import type { Deal, DealOwner } from '../model.ts';
import { canSeeDeal } from './visibility.ts';

/** Whether `member` may own `deal`: an active member of its org who may see it. */
export const mayOwn = (member: Membership | undefined, deal: Deal): member is Membership =>
  member !== undefined &&
  member.status === 'active' &&
  member.orgId === deal.orgId &&
  canSeeDeal(
    { orgId: member.orgId, roles: member.roles, locations: member.locations, email: member.email },
    deal,
  );

/** The owner `member` makes, once `mayOwn` holds. */
export const ownerOf = (member: Pick<Membership, 'email' | 'name'>): DealOwner => ({
  email: member.email,
  name: member.name,
});

/** Refuses an owner who may not own the deal (422 `not-eligible-owner`), whoever they are. */
export const requireEligibleOwner = (member: Membership | undefined, deal: Deal): Membership => {
  if (!mayOwn(member, deal)) {
    throw new BusinessRuleError(
      'not-eligible-owner',
      "The owner must be a current member of the deal's organization who may see the deal.",
    );
  }
  return member;
};

/** Whether `actor` is the deal's owner. */
export const isOwner = (actor: Pick<Actor, 'email' | 'client'>, deal: Pick<Deal, 'owner'>): boolean =>
  !actor.client && deal.owner !== undefined && sameEmail(deal.owner.email, actor.email);

/** Who may give the deal an owner or leave it unowned: its org's admins, or its current owner. */
export const mayAssignOwner = (actor: Actor, deal: Deal): boolean =>
  deal.orgId === actor.orgId && (seesAllDeals(actor) || isOwner(actor, deal));

/** The owner a person acting on their own deal becomes (creating it, accepting it); none for a client. */
export const selfOwner = (actor: Actor): DealOwner | undefined =>
  actor.client || actor.email === ''
    ? undefined
    : { email: actor.email.trim().toLowerCase(), name: actor.name };

/** The `owner` field of a deal owned by `owner` (none when undefined), to spread into it. */
export const ownedBy = (owner: DealOwner | undefined): { owner?: DealOwner } => (owner ? { owner } : {});
