/**
 * Create a deal (outbound) — docs/domain.md §3, docs/api.md "Deals".
 * Input: the deal's fields; the customer is a directory reference, solutions are catalog ids.
 * Output: the stored deal, `accepted` at stage `created`, in a new engagement of which its org is the
 * origin; with `invite`, the invitees' inbound deals are written in the same transaction.
 * Rules: close date after today; every solution exists and is visible to the org; an assessment type
 * only for orgs with the `solution-assessment` capability, alone, and with an assessment location;
 * a referral-user creates only in its locations and must be on the team it names.
 */

import type { Deps } from '../../deps.ts';
import { type Actor, hasRole, seesAllDeals } from '../../kernel/actor.ts';
import { BusinessRuleError, ForbiddenError } from '../../kernel/errors.ts';
import { dealEvent } from '../../kernel/events.ts';
import {
  type CustomerContact,
  type Deal,
  type DealTexts,
  type Engagement,
  givenTexts,
  STAGE_PROBABILITY,
} from '../model.ts';
import { requireFutureDate, requireSelfOnTeam } from '../rules/checks.ts';
import { buildInvitations, type InviteInput, invitationEvents } from '../rules/invitations.ts';
import { ownedBy, selfOwner } from '../rules/owner.ts';
import { withSelfParticipant } from '../rules/participants.ts';
import { creationPlan } from '../rules/plan.ts';
import { checkDealSolutions } from '../rules/solutions.ts';
import { commitPlan } from './write.ts';

/** The deal's own fields as the creator gives them; the rest (status, stage, ids, copies) follows. */
export type CreateDealInput = Pick<
  Deal,
  'name' | 'location' | 'value' | 'closeDate' | 'team' | 'solutions' | 'assessmentLocation'
> &
  DealTexts & {
    customer: { id: string; contact?: CustomerContact; consentToShareWithHost?: boolean };
    /** Invitations sent with the deal, in the same transaction (docs/domain.md §4). */
    invite?: InviteInput;
  };

/**
 * Who may create this deal: an admin of the org's deals, or a referral-user in one of its
 * locations on the team it names (403).
 */
export const authorizeCreateDeal = (
  actor: Actor,
  input: Pick<CreateDealInput, 'location' | 'team'>,
): void => {
  if (seesAllDeals(actor)) return;
  if (!hasRole(actor, 'referral-user')) {
    throw new ForbiddenError('role-required', 'Creating deals needs a referral role.');
  }
  if (!actor.locations.includes(input.location)) {
    throw new ForbiddenError(
      'location-not-allowed',
      `You may create deals only in your locations (${actor.locations.join(', ')}).`,
    );
  }
  requireSelfOnTeam(actor, input.team);
};

export const createDeal = async (deps: Deps, actor: Actor, input: CreateDealInput): Promise<Deal> => {
  authorizeCreateDeal(actor, input);
  const now = deps.clock.now();
  requireFutureDate(input.closeDate, now, 'closeDate');
  const [customer, assessment] = await Promise.all([
    deps.customers.get(input.customer.id),
    checkDealSolutions(deps, actor, input.solutions, input.assessmentLocation),
  ]);
  if (!customer)
    throw new BusinessRuleError('unknown-customer', 'The customer is not in the directory; add it first.');

  const at = now.toISOString();
  const dealId = deps.ids.next();
  const engagementId = deps.ids.next();
  const self = {
    orgId: actor.orgId,
    orgName: actor.orgName,
    kind: actor.orgKind,
    dealId,
    status: 'accepted' as const,
  };
  // The creator takes part from the start: the creation plan writes its shared team too.
  const deal: Deal = withSelfParticipant({
    id: dealId,
    engagementId,
    orgId: actor.orgId,
    direction: 'outbound',
    status: 'accepted',
    stage: 'created',
    probability: STAGE_PROBABILITY.created,
    name: input.name,
    location: input.location,
    customer: {
      id: customer.id,
      name: customer.name,
      country: customer.country,
      address: customer.address,
      ...(customer.duns ? { duns: customer.duns } : {}),
      ...(input.customer.contact ? { contact: input.customer.contact } : {}),
      consentToShareWithHost: input.customer.consentToShareWithHost ?? false,
    },
    value: input.value,
    closeDate: input.closeDate,
    ...givenTexts(input),
    team: input.team,
    solutions: input.solutions,
    ...(assessment ? { assessmentLocation: input.assessmentLocation } : {}),
    participants: { [actor.orgId]: self },
    engagementVersion: 1,
    ...ownedBy(selfOwner(actor)),
    createdBy: actor.sub,
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
  const invitations = input.invite
    ? await buildInvitations(deps, actor, deal, input.invite, now, 1)
    : { invitees: [], participants: deal.participants };
  const created: Deal = { ...deal, participants: invitations.participants };
  const engagement: Engagement = {
    id: engagementId,
    originOrgId: actor.orgId,
    assessment,
    participants: invitations.participants,
    version: 1,
  };
  await commitPlan(
    deps,
    creationPlan(deps.ids, {
      deal: created,
      engagement,
      actor,
      invitees: invitations.invitees,
      events: [dealEvent('deal.created', created), ...invitationEvents(created, invitations.invitees)],
    }),
  );
  return created;
};
