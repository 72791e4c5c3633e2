/**
 * Deal registration — docs/domain.md §6.
 * Eligibility: the host was invited; the host accepted or won its deal; at least one solution is
 * incentive-eligible; the deal is won. Private deals are never eligible (the host was never invited).
 * "Register now" (`registerDeal`) submits a won, eligible partner deal; the host reviews it through
 * its own deal of the engagement (`reviewRegistration`): in review, action required (with a message
 * the partner sees), approved or rejected. Approved and rejected complete validation: the partner's
 * deal becomes `closed`. Every step is in the history and notifies the deal's team.
 */

import { submittedAttachments } from '../../attachments/use-cases.ts';
import type { Deps } from '../../deps.ts';
import type { Actor } from '../../kernel/actor.ts';
import {
  BusinessRuleError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../kernel/errors.ts';
import { dealEvent } from '../../kernel/events.ts';
import { LIMITS } from '../../kernel/limits.ts';
import type { Money } from '../../kernel/money.ts';
import { retryOnConflict } from '../../kernel/retry.ts';
import type { Deal, Participant, ReviewDecision } from '../model.ts';
import type { DealView } from '../ports.ts';
import { mayReview, OPEN_REGISTRATIONS } from '../rules/actions.ts';
import { changePlan, nextVersion, versioned } from '../rules/plan.ts';
import { retainedMessages } from '../rules/registration.ts';
import { presentDeals } from './present.ts';
import { findVisibleDeal, getVisibleDeal } from './read-deals.ts';
import {
  authorizeDealChange,
  changeDeal,
  commitChange,
  commitPlan,
  type DealRef,
  readForChange,
} from './write.ts';

export type RegisterInput = {
  contractSigned: true;
  contractValue?: Money;
  contractDate?: string;
  purchaseOrder?: string;
  notes?: string;
  /** Ids of the org's uploaded attachments of this deal. */
  attachments?: string[];
};

const requirePartner = (actor: Actor): void => {
  if (actor.orgKind === 'host') {
    throw new BusinessRuleError(
      'host-cannot-register',
      'The host reviews registrations; partners submit them.',
    );
  }
};

/** Who may register a deal: a partner's member who may change it (`authorizeDealChange`). */
export const authorizeRegisterDeal = async (deps: Deps, actor: Actor, ref: Pick<DealRef, 'dealId'>) => {
  requirePartner(actor);
  await authorizeDealChange(deps, actor, ref);
};

/** "Register now": a won, eligible partner deal is submitted to the host (again, after action required). */
export const registerDeal = async (
  deps: Deps,
  actor: Actor,
  command: DealRef & RegisterInput,
): Promise<DealView> => {
  requirePartner(actor);
  return changeDeal(deps, command.expectedVersion, async () => {
    const stored = await readForChange(deps, actor, command, { allowTerminal: true });
    const { deal } = stored;
    if (deal.status !== 'won') {
      throw new ConflictError(
        deal.status === 'closed' || !['won', 'accepted', 'received'].includes(deal.status)
          ? 'terminal-deal'
          : 'invalid-transition',
        `Only a won deal can be registered; this deal is ${deal.status}.`,
      );
    }
    const [view] = await presentDeals(deps, actor, [{ deal, favorite: false }]);
    if (!view?.registration.eligible) {
      throw new BusinessRuleError(
        'not-eligible',
        `The deal is not eligible for registration: ${view?.registration.unmet.join(', ')}.`,
      );
    }
    const current = deal.registration?.status;
    if (current && current !== 'action-required') {
      throw new ConflictError('invalid-transition', `The registration is already ${current}.`);
    }
    const attachments = await submittedAttachments(deps, deal, command.attachments ?? []);
    const now = deps.clock.now();
    // A re-submission replaces the whole submission; the review thread stays.
    const next = nextVersion(
      deal,
      {
        ...deal,
        registration: {
          status: 'submitted',
          submittedAt: now.toISOString(),
          contractSigned: true,
          ...(command.contractValue ? { contractValue: command.contractValue } : {}),
          ...(command.contractDate ? { contractDate: command.contractDate } : {}),
          ...(command.purchaseOrder ? { purchaseOrder: command.purchaseOrder } : {}),
          ...(command.notes ? { notes: command.notes } : {}),
          ...(attachments.length > 0 ? { attachments } : {}),
          messages: deal.registration?.messages ?? [],
        },
      },
      now,
    );
    return commitChange(deps, actor, stored, next, {
      action: 'registration-submitted',
      events: (next) => [dealEvent('registration.updated', next, { detail: { status: 'submitted' } })],
    });
  });
};

export type ReviewInput = { orgId: string; decision: ReviewDecision; message?: string };

const requireReviewer = (actor: Actor): void => {
  if (actor.orgKind !== 'host') {
    throw new ForbiddenError('host-only', 'Only the host org reviews registrations.');
  }
  if (!mayReview(actor)) {
    throw new ForbiddenError(
      'role-required',
      'Reviewing registrations needs the org-admin or referrals-admin role.',
    );
  }
};

/** The org's entry on the host's deal, when that org has a registration in the engagement. */
const registeringParticipant = (hostDeal: Deal, actor: Actor, orgId: string): Participant => {
  const participant = hostDeal.participants[orgId];
  if (!participant || participant.orgId === actor.orgId || !participant.registration) {
    throw new NotFoundError('A registration of that org in this engagement');
  }
  return participant;
};

/**
 * Who may review a registration: the host's org-admins and referrals-admins, through a host deal
 * they may see, for an org that registered in its engagement (else 404). Never refused for the
 * registration's state: the first review may have moved it.
 */
export const authorizeReview = async (
  deps: Deps,
  actor: Actor,
  target: { dealId: string; orgId: string },
): Promise<void> => {
  requireReviewer(actor);
  const { deal } = await findVisibleDeal(deps, actor, target.dealId);
  registeringParticipant(deal, actor, target.orgId);
};

/**
 * The host's review of one partner's registration, through the host's own deal of the engagement.
 * Output: the host's deal, whose participants now show the registration's new status.
 */
export const reviewRegistration = async (
  deps: Deps,
  actor: Actor,
  command: { dealId: string } & ReviewInput,
): Promise<DealView> => {
  const { dealId: hostDealId, ...input } = command;
  requireReviewer(actor);
  if (input.decision === 'action-required' && !input.message) {
    throw new BusinessRuleError('message-required', 'Tell the partner what action is required.');
  }
  if (input.message !== undefined && input.message.length > LIMITS.reviewMessage) {
    throw ValidationError.field('message', `Write at most ${LIMITS.reviewMessage} characters.`);
  }
  return retryOnConflict(deps.backoff, async () => {
    const { deal: hostDeal } = await getVisibleDeal(deps, actor, hostDealId);
    const participant = registeringParticipant(hostDeal, actor, input.orgId);
    const partnerDeal = (await deps.deals.get(participant.orgId, participant.dealId, actor.sub))?.deal;
    const registration = partnerDeal?.registration;
    if (!partnerDeal || !registration)
      throw new NotFoundError('A registration of that org in this engagement');
    if (!OPEN_REGISTRATIONS.has(registration.status)) {
      throw new ConflictError('invalid-transition', `The registration was already ${registration.status}.`);
    }
    if (registration.status === input.decision) {
      throw new ConflictError('invalid-transition', `The registration is already ${input.decision}.`);
    }
    const now = deps.clock.now().toISOString();
    const completes = input.decision === 'approved' || input.decision === 'rejected';
    const next = versioned(
      partnerDeal,
      {
        ...partnerDeal,
        ...(completes ? { status: 'closed' as const } : {}),
        registration: {
          ...registration,
          status: input.decision,
          messages: input.message
            ? retainedMessages([
                ...registration.messages,
                { at: now, decision: input.decision, text: input.message },
              ])
            : registration.messages,
          ...(completes ? { decidedAt: now } : {}),
        },
      },
      now,
    );
    await commitPlan(
      deps,
      changePlan(deps.ids, {
        previous: partnerDeal,
        next,
        action: `registration-${input.decision}`,
        actor,
        events: [dealEvent('registration.updated', next, { detail: { status: input.decision } })],
      }),
    );
    return getVisibleDeal(deps, actor, hostDealId);
  });
};
