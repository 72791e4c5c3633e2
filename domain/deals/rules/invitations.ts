/**
 * Who may invite whom (docs/domain.md §4), and the inbound deal each invitee gets.
 *
 * | inviting deal                | may invite     | rule                                                 |
 * |------------------------------|----------------|------------------------------------------------------|
 * | private                      | host, partners | inviting the host makes it co-sell                   |
 * | co-sell                      | other partners | only the engagement's origin org, never from inbound |
 * | partner-to-partner (no host) | host           | makes it co-sell                                      |
 * | partner-to-partner (no host) | other partners | only the engagement's origin org                      |
 *
 * Always: the inviting deal is accepted (not received, not terminal); never an org that takes part
 * or still has a received invitation; never yourself. An org whose last invitation was declined,
 * expired or withdrawn may be invited again: a new inbound deal with a new clock. Inviting the host needs the customer contact on the deal; the contact
 * reaches the host only with the customer's consent. How often one org may be invited to one
 * engagement, and how often emailed, is ./invitation-limits.ts.
 */

import type { Deps } from '../../deps.ts';
import type { Organization } from '../../identity/model.ts';
import type { Actor } from '../../kernel/actor.ts';
import { BusinessRuleError, ConflictError, ValidationError } from '../../kernel/errors.ts';
import { dealEvent, type EventDraft, type EventType } from '../../kernel/events.ts';
import type { Money } from '../../kernel/money.ts';
import {
  type Deal,
  type DealCustomer,
  type HelpType,
  type HistoryEntry,
  INVITATION_DAYS,
  type Invitation,
  type Participant,
  REINVITABLE_STATUSES,
  type TeamMember,
} from '../model.ts';
import { requireFutureDate } from './checks.ts';
import { historyActor } from './history.ts';
import { countInvitation } from './invitation-limits.ts';
import type { NewInboundDeal } from './plan.ts';
import { checkDealSolutions } from './solutions.ts';

export type HostInvite = { helpType: HelpType; notes?: string };
export type PartnerInvite = {
  orgId: string;
  closeDate?: string;
  value?: Money;
  notes?: string;
  team?: TeamMember[];
  solutions?: string[];
  helpType: HelpType;
};
export type InviteInput = { host?: HostInvite; partners?: PartnerInvite[] };

/** What an invitation request adds to an engagement: the invitees' deals and the participants map after it. */
export type Invitations = { invitees: NewInboundDeal[]; participants: Record<string, Participant> };

const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_PARTICIPANTS = 20;

/**
 * What the invitee sees of the customer. Partners co-selling the opportunity get the contact (they
 * must reach the customer); the host gets it only with the customer's consent (docs/domain.md §4–§5).
 */
const customerFor = (customer: DealCustomer, invitee: Organization): DealCustomer => {
  if (invitee.kind !== 'host' || customer.consentToShareWithHost) return customer;
  const { contact: _withheld, ...rest } = customer;
  return rest;
};

/**
 * Whether the deal's org may invite further partners: an engagement is created with its origin
 * org's deal, its only outbound one; once it is co-sell or has more than one org, only that deal
 * invites partners.
 */
export const mayInvitePartners = (deal: Pick<Deal, 'participants' | 'direction'>): boolean => {
  const participants = Object.values(deal.participants);
  const hostTakesPart = participants.some((participant) => participant.kind === 'host');
  return deal.direction === 'outbound' || !(hostTakesPart || participants.length > 1);
};

/**
 * Whether the deal's org may invite the host now: it is not the host itself, the host is not in
 * the engagement (or its last invitation ended), and the deal names the customer contact.
 */
export const mayInviteHost = (deal: Pick<Deal, 'participants' | 'customer'>, actor: Actor): boolean => {
  if (actor.orgKind === 'host' || !deal.customer.contact) return false;
  const host = Object.values(deal.participants).find((participant) => participant.kind === 'host');
  return !host || REINVITABLE_STATUSES.has(host.status);
};

const requireAccepted = (deal: Deal): void => {
  if (deal.status !== 'accepted') {
    throw new ConflictError('invalid-transition', `A ${deal.status} deal cannot invite; accept it first.`);
  }
};

const requireEngagementOrigin = (deal: Deal): void => {
  if (!mayInvitePartners(deal)) {
    throw new BusinessRuleError(
      'not-engagement-origin',
      'Only the org that created the engagement may invite further partners.',
    );
  }
};

const checkWhoMayInvite = (deal: Deal, input: InviteInput): void => {
  requireAccepted(deal);
  if ((input.partners?.length ?? 0) > 0) requireEngagementOrigin(deal);
};

/** The deal may invite partners now, as an invitation of partners would find: its suggestions are for that. */
export const requirePartnerInviter = (deal: Deal): void => {
  requireAccepted(deal);
  requireEngagementOrigin(deal);
};

/** Whether the org may be invited to the deal's engagement: new to it, or its last invitation ended. */
export const mayBeInvited = (deal: Pick<Deal, 'participants'>, orgId: string): boolean => {
  const current = deal.participants[orgId];
  return !current || REINVITABLE_STATUSES.has(current.status);
};

const requireNewParticipant = (deal: Deal, orgId: string, actor: Actor): void => {
  if (orgId === actor.orgId)
    throw new BusinessRuleError('cannot-invite-self', 'An org cannot invite itself.');
  const current = deal.participants[orgId];
  if (current && !REINVITABLE_STATUSES.has(current.status)) {
    throw new ConflictError('already-participant', `Org ${orgId} already takes part in this engagement.`);
  }
};

/**
 * Checks an invitation request against the inviting deal and builds each invitee's inbound deal
 * (status `received`, expiring after 14 days) with its first history entry.
 */
export const buildInvitations = async (
  deps: Deps,
  actor: Actor,
  deal: Deal,
  input: InviteInput,
  now: Date,
  /** The engagement's version once these invitations are written. */
  engagementVersion: number,
): Promise<Invitations> => {
  const partners = input.partners ?? [];
  if (!input.host && partners.length === 0) {
    throw ValidationError.field('', 'Invite the host, at least one partner, or both.');
  }
  checkWhoMayInvite(deal, input);
  if (new Set(partners.map((partner) => partner.orgId)).size !== partners.length) {
    throw ValidationError.field('partners', 'Invite each partner once.');
  }
  // A re-invited org keeps its place: only orgs new to the engagement count against the bound.
  const newOrgs = partners.filter((partner) => !deal.participants[partner.orgId]).length;
  const hostIsNew = input.host && !Object.values(deal.participants).some((p) => p.kind === 'host');
  if (Object.keys(deal.participants).length + newOrgs + (hostIsNew ? 1 : 0) > MAX_PARTICIPANTS) {
    throw new BusinessRuleError(
      'too-many-participants',
      `An engagement has at most ${MAX_PARTICIPANTS} orgs.`,
    );
  }

  const invitees: {
    org: Organization;
    fields: Omit<Invitation, keyof BaseInvitation>;
    partner?: PartnerInvite;
  }[] = [];
  if (input.host) {
    if (input.host.helpType === 'none') {
      throw ValidationError.field('host.helpType', 'Tell the host what help you need (anything but none).');
    }
    if (!deal.customer.contact) {
      throw new BusinessRuleError(
        'contact-required',
        'Add the customer contact to the deal before inviting the host.',
      );
    }
    const host = await deps.orgs.getHost();
    if (!host) throw new BusinessRuleError('no-host', 'This installation has no host org yet.');
    requireNewParticipant(deal, host.id, actor);
    invitees.push({
      org: host,
      fields: {
        kind: 'host',
        helpType: input.host.helpType,
        ...(input.host.notes ? { notes: input.host.notes } : {}),
        inviterTeam: deal.team,
      },
    });
  }
  for (const [i, partner] of partners.entries()) {
    requireNewParticipant(deal, partner.orgId, actor);
    const org = await deps.orgs.get(partner.orgId);
    if (org?.kind !== 'partner') {
      throw new BusinessRuleError('unknown-partner', `partners.${i}.orgId names no partner org.`);
    }
    if (partner.closeDate !== undefined) requireFutureDate(partner.closeDate, now, `partners.${i}.closeDate`);
    if (partner.solutions) await checkDealSolutions(deps, actor, partner.solutions, deal.assessmentLocation);
    invitees.push({
      org,
      partner,
      fields: {
        kind: 'partner',
        helpType: partner.helpType,
        ...(partner.notes ? { notes: partner.notes } : {}),
        inviterTeam: partner.team ?? deal.team,
      },
    });
  }

  // Only an org that takes part already can have been invited before: nobody else has a rate record.
  const reinvited = invitees.map(({ org }) => org.id).filter((orgId) => deal.participants[orgId]);
  const earlier = reinvited.length > 0 ? await deps.deals.invitationRates(deal.engagementId, reinvited) : [];
  // Counted before anything is built: a refused invitation refuses the whole request.
  const counted = invitees.map((invitee) => ({
    ...invitee,
    ...countInvitation(
      earlier.find((rate) => rate.orgId === invitee.org.id),
      deal.engagementId,
      invitee.org,
      now,
    ),
  }));

  const invitedAt = now.toISOString();
  const base: BaseInvitation = {
    fromOrgId: actor.orgId,
    fromOrgName: actor.orgName,
    fromDealId: deal.id,
    invitedBy: { sub: actor.sub, email: actor.email },
    invitedAt,
    expiresAt: new Date(now.getTime() + INVITATION_DAYS * DAY_MS).toISOString(),
  };
  const built = counted.map(({ org, fields, partner, emailed, rate }) => {
    const id = deps.ids.next();
    const inbound: Deal = {
      id,
      engagementId: deal.engagementId,
      orgId: org.id,
      direction: 'inbound',
      status: 'received',
      stage: 'created',
      probability: 10,
      name: deal.name,
      location: deal.location,
      customer: customerFor(deal.customer, org),
      value: partner?.value ?? deal.value,
      closeDate: partner?.closeDate ?? deal.closeDate,
      team: [],
      solutions: partner?.solutions ?? deal.solutions,
      ...(deal.assessmentLocation !== undefined ? { assessmentLocation: deal.assessmentLocation } : {}),
      invitation: { ...base, ...fields, ...(emailed ? {} : { emailHeld: true as const }) },
      participants: {},
      engagementVersion: 0,
      createdBy: actor.sub,
      createdAt: invitedAt,
      updatedAt: invitedAt,
      version: 1,
    };
    const history: HistoryEntry = {
      id: deps.ids.next(),
      dealId: id,
      at: invitedAt,
      actor: historyActor(actor),
      action: 'received',
      changes: [],
    };
    const participant: Participant = {
      orgId: org.id,
      orgName: org.name,
      kind: org.kind,
      dealId: id,
      status: 'received',
      invitedByDealId: deal.id,
    };
    return { deal: inbound, history, participant, rate };
  });
  const participants = {
    ...deal.participants,
    ...Object.fromEntries(built.map(({ participant }) => [participant.orgId, participant])),
  };
  return {
    invitees: built.map(({ deal: inbound, history, rate }) => ({
      deal: { ...inbound, participants, engagementVersion },
      history,
      rate,
    })),
    participants,
  };
};

type BaseInvitation = Pick<
  Invitation,
  'fromOrgId' | 'fromOrgName' | 'fromDealId' | 'invitedBy' | 'invitedAt' | 'expiresAt'
>;

/**
 * Withdrawing an invitation (docs/domain.md §4): only the org whose deal sent it, and only while the
 * invitee has not answered (`received`). `invitee` is the invitee's deal as read.
 */
export const requireWithdrawable = (inviter: Deal, invitee: Deal): void => {
  if (invitee.invitation?.fromDealId !== inviter.id) {
    throw new BusinessRuleError('not-inviter', 'Only the org that sent an invitation may withdraw it.');
  }
  if (invitee.status !== 'received') {
    throw new ConflictError(
      'invalid-transition',
      `Only a received invitation can be withdrawn; this one is ${invitee.status}.`,
    );
  }
};

/**
 * Whether `inviter` may withdraw the invitation of this participant: it sent it and nobody answered
 * yet. Entries written before participants named their inviter count as the origin deal's.
 */
export const mayWithdraw = (
  inviter: Pick<Deal, 'id' | 'direction' | 'status'>,
  participant: Participant,
): boolean =>
  inviter.status === 'accepted' &&
  participant.status === 'received' &&
  (participant.invitedByDealId ?? (inviter.direction === 'outbound' ? inviter.id : undefined)) === inviter.id;

/** Whether closing `inviter` withdraws `invitee`'s invitation: it sent it and nobody answered yet. */
export const isOpenInvitationOf = (inviter: Deal, invitee: Deal): boolean =>
  invitee.status === 'received' && invitee.invitation?.fromDealId === inviter.id;

/** Only a received invitation that has not expired can be answered. */
export const requireOpenInvitation = (deal: Deal, now: Date): Invitation => {
  if (deal.status !== 'received' || !deal.invitation) {
    throw new ConflictError(
      'invalid-transition',
      `Only a received invitation can be answered; this deal is ${deal.status}.`,
    );
  }
  if (now.toISOString() >= deal.invitation.expiresAt) {
    throw new ConflictError(
      'invalid-transition',
      'The invitation expired; ask the inviting org to invite you again.',
    );
  }
  return deal.invitation;
};

/** The invitation as answered now. */
export const answered = (invitation: Invitation | undefined, now: Date): Invitation | undefined =>
  invitation ? { ...invitation, answeredAt: now.toISOString() } : undefined;

/** `invitation.created` for each invitee, told from the inviting deal's side. */
export const invitationEvents = (inviter: Deal, invitees: readonly NewInboundDeal[]): EventDraft[] =>
  invitees.map(({ deal }) =>
    dealEvent('invitation.created', inviter, {
      invitation: {
        inviterOrgId: inviter.orgId,
        inviterDealId: inviter.id,
        inviteeOrgId: deal.orgId,
        inviteeDealId: deal.id,
      },
    }),
  );

/** An event about an invitee's deal (answer, expiry, reminder), naming both sides. */
export const inviteeEvent = (type: EventType, invitee: Deal, detail?: Record<string, string>): EventDraft =>
  dealEvent(type, invitee, {
    ...(invitee.invitation
      ? {
          invitation: {
            inviterOrgId: invitee.invitation.fromOrgId,
            inviterDealId: invitee.invitation.fromDealId,
            inviteeOrgId: invitee.orgId,
            inviteeDealId: invitee.id,
          },
        }
      : {}),
    ...(detail ? { detail } : {}),
  });
