import { beforeEach, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { registerDeal, reviewRegistration } from '#domain/deals/use-cases/registration.ts';
import { removeMember } from '#domain/identity/members.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import type { DomainEvent, EventType } from '#domain/kernel/events.ts';
import { deliverEvent, emailChannel, PUBLISH_CHANNEL } from '#domain/notifications/deliver.ts';
import type { NotificationDeps, OutgoingEmail } from '#domain/notifications/ports.ts';
import { type DealWorld, dealWorld, settableClock } from '#test/support/deal-world.ts';
import {
  CountingMetrics,
  MemoryDeliveryLog,
  RecordingMailer,
  RecordingPublisher,
} from '#test/support/memory/notifications.ts';

const APP = 'https://app.example';
const SETTINGS = { appBaseUrl: APP, leaseMs: 60_000, retentionMs: 7 * 24 * 3600_000 };
/** Strings only the inviting org may see: none may reach the invitee's people. */
const INVITER_SECRETS = ['INVITER-NOTES-7731', 'CRM-INVITER-4410', 'CAMPAIGN-INVITER-9', 'INVITE-NOTES-5521'];
/** Strings only the invitee org may see: none may reach the inviter's people. */
const INVITEE_SECRETS = ['CRM-INVITEE-3303', 'INVITEE-NOTES-6604', 'INVITEE-CAMPAIGN-7705'];
/** What a decliner writes for the inviter: the decline email carries it. */
const DECLINE_NOTES = 'DECLINE-NOTES-8802';

let w: DealWorld;
let deps: NotificationDeps & {
  mailer: RecordingMailer;
  events: RecordingPublisher;
  deliveries: MemoryDeliveryLog;
  metrics: CountingMetrics;
};
let consumerClock: ReturnType<typeof settableClock>;
let inviterDeal: Deal;

const inboundOf = async (actor: Actor): Promise<Deal> => {
  const [first] = (await listDeals(w.deps, actor, { tab: 'inbound' }, { limit: 10 })).items;
  if (!first) throw new Error(`${actor.orgName} has no inbound deal`);
  return first.deal;
};

const eventsOf = (type: EventType): DomainEvent[] =>
  w.deps.deals.outbox.filter((event) => event.type === type);
const onlyEvent = (type: EventType): DomainEvent => {
  const [event, ...rest] = eventsOf(type);
  if (!event || rest.length > 0) throw new Error(`expected exactly one ${type}`);
  return event;
};
/** The inviting deal's team members (the inviting admin, at its member address, and the seller). */
const FABRIKAM = ['fabrikam-admin@fabrikam.example', 'fabrikam-seller@example.com'];
const recipients = (emails: OutgoingEmail[]) => emails.map((email) => email.to).sort();
const everything = (email: OutgoingEmail) => `${email.subject}\n${email.text}\n${email.html}`;

beforeEach(async () => {
  w = await dealWorld();
  consumerClock = settableClock('2026-11-01T09:00:00.000Z');
  deps = {
    clock: consumerClock,
    orgs: w.deps.orgs,
    memberships: w.deps.memberships,
    deals: w.deps.deals,
    comments: w.deps.comments,
    mailer: new RecordingMailer(),
    events: new RecordingPublisher(),
    deliveries: new MemoryDeliveryLog(),
    metrics: new CountingMetrics(),
  };
  // Invitee org (Adatum): its admin, a referrals-admin, referral-users in and out of the deal's location.
  await w.member(w.other, 'adatum-radmin', ['referrals-admin']);
  await w.member(w.other, 'adatum-de', ['referral-user'], ['DE']);
  await w.member(w.other, 'adatum-fr', ['referral-user'], ['FR']);
  await w.member(w.partner, 'fabrikam-seller', ['referral-user'], ['DE']);
  inviterDeal = await w.create(w.partner, {
    notes: INVITER_SECRETS[0],
    crmId: INVITER_SECRETS[1],
    campaignId: INVITER_SECRETS[2],
    team: [
      // A contact, not a member of Fabrikam: shown on the deal, never emailed.
      { name: 'Ann Seller', email: 'ann@fabrikam.example', phone: '+49 30 1234' },
      { name: 'Sam Seller', email: 'fabrikam-seller@example.com', phone: '+49 30 5' },
      // The inviting user is on the team too, spelled differently: one email only.
      { name: 'The Admin', email: 'Fabrikam-Admin@Fabrikam.example', phone: '+49 30 9' },
    ],
  });
  await inviteToDeal(w.deps, w.partner, {
    dealId: inviterDeal.id,
    partners: [{ orgId: w.other.orgId, helpType: 'architecture', notes: INVITER_SECRETS[3] }],
  });
});

describe('a new invitation', () => {
  it('emails the invitee org admins, referrals-admins and referral-users of the location, linking to their deal', async () => {
    const outcome = await deliverEvent(deps, onlyEvent('invitation.created'), SETTINGS);
    const theirs = await inboundOf(w.other);

    expect(outcome.failed).toEqual([]);
    expect(recipients(deps.mailer.sent)).toEqual([
      'adatum-admin@adatum.example',
      'adatum-de@example.com',
      'adatum-radmin@example.com',
    ]);
    for (const email of deps.mailer.sent) {
      expect(email.subject).toBe('Fabrikam invited you to co-sell: Tailspin data platform');
      expect(email.text).toContain(`${APP}/deals/${theirs.id}`);
      expect(email.html).toContain(`${APP}/deals/${theirs.id}`);
      expect(everything(email)).not.toContain(inviterDeal.id);
      for (const secret of INVITER_SECRETS) expect(everything(email)).not.toContain(secret);
      expect(everything(email)).not.toContain('ann@fabrikam.example');
    }
  });

  it('publishes the event once and counts it', async () => {
    const event = onlyEvent('invitation.created');
    await deliverEvent(deps, event, SETTINGS);
    await deliverEvent(deps, event, SETTINGS);
    expect(deps.events.published).toEqual([event]);
    expect(deps.metrics.events).toEqual(['invitation.created']);
    expect(deps.metrics.sent).toBe(3);
  });
});

describe('answers and expiry', () => {
  it('a decline emails the inviting team and the inviting user with the reason and the decline notes, and nothing else of the invitee deal', async () => {
    const theirs = await inboundOf(w.other);
    await declineInvitation(w.deps, w.other, {
      dealId: theirs.id,
      reason: 'no-capacity',
      notes: DECLINE_NOTES,
    });
    await deliverEvent(deps, onlyEvent('invitation.declined'), SETTINGS);

    expect(recipients(deps.mailer.sent)).toEqual(FABRIKAM);
    for (const email of deps.mailer.sent) {
      expect(email.subject).toBe('Adatum declined your invitation: Tailspin data platform');
      expect(email.text).toContain('Reason: No capacity');
      expect(email.text).toContain(`Notes: ${DECLINE_NOTES}`);
      expect(email.text).toContain(`${APP}/deals/${inviterDeal.id}`);
      expect(everything(email)).not.toContain(theirs.id);
      for (const secret of INVITEE_SECRETS) expect(everything(email)).not.toContain(secret);
    }
  });

  it('an acceptance tells the inviter who accepted, not what the invitee wrote on its deal', async () => {
    const theirs = await inboundOf(w.other);
    await acceptInvitation(w.deps, w.other, {
      dealId: theirs.id,
      crmId: INVITEE_SECRETS[0],
      notes: INVITEE_SECRETS[1],
      campaignId: INVITEE_SECRETS[2],
      team: [{ name: 'Ada', email: 'adatum-admin@adatum.example', phone: '1' }],
    });
    await deliverEvent(deps, onlyEvent('invitation.accepted'), SETTINGS);

    expect(recipients(deps.mailer.sent)).toEqual(FABRIKAM);
    for (const email of deps.mailer.sent) {
      expect(email.subject).toBe('Adatum accepted your invitation: Tailspin data platform');
      for (const secret of INVITEE_SECRETS) expect(everything(email)).not.toContain(secret);
      expect(everything(email)).not.toContain('adatum-admin@adatum.example');
    }
  });

  it('the reminder goes to the invitee recipients, the expiry to the inviter', async () => {
    w.setNow('2026-11-12T10:00:00.000Z');
    await expireInvitations(w.deps);
    await deliverEvent(deps, onlyEvent('invitation.reminder'), SETTINGS);
    expect(recipients(deps.mailer.sent)).toEqual([
      'adatum-admin@adatum.example',
      'adatum-de@example.com',
      'adatum-radmin@example.com',
    ]);
    expect(deps.mailer.sent[0]?.subject).toMatch(
      /^Reminder: the invitation from Fabrikam expires on 15 Nov 2026/,
    );

    w.setNow('2026-11-16T10:00:00.000Z');
    await expireInvitations(w.deps);
    const before = deps.mailer.sent.length;
    await deliverEvent(deps, onlyEvent('invitation.expired'), SETTINGS);
    const expiry = deps.mailer.sent.slice(before);
    expect(recipients(expiry)).toEqual(FABRIKAM);
    expect(expiry[0]?.subject).toBe('Your invitation to Adatum expired: Tailspin data platform');
  });

  it('a reminder that arrives after the invitation was answered sends nothing', async () => {
    w.setNow('2026-11-12T10:00:00.000Z');
    await expireInvitations(w.deps);
    const theirs = await inboundOf(w.other);
    await acceptInvitation(w.deps, w.other, {
      dealId: theirs.id,
      team: [{ name: 'Ada', email: w.other.email, phone: '1' }],
    });
    const outcome = await deliverEvent(deps, onlyEvent('invitation.reminder'), SETTINGS);
    expect(deps.mailer.sent).toEqual([]);
    expect(outcome.done).toEqual([PUBLISH_CHANNEL]);
  });

  it('deal events are published and email nobody', async () => {
    const created = onlyEvent('deal.created');
    const outcome = await deliverEvent(deps, created, SETTINGS);
    expect(outcome).toMatchObject({ done: [PUBLISH_CHANNEL], failed: [] });
    expect(deps.mailer.sent).toEqual([]);
    expect(deps.deliveries.settled.has(created.id)).toBe(true);
  });
});

describe('registration decisions', () => {
  const registrationEvent = (status: string): DomainEvent => ({
    id: `01REG${status}`,
    type: 'registration.updated',
    at: '2026-11-01T09:00:00.000Z',
    orgId: inviterDeal.orgId,
    dealId: inviterDeal.id,
    engagementId: inviterDeal.engagementId,
    detail: { status },
  });

  beforeEach(() => {
    // The partner's deal as the review left it: the host's message is on the partner's own deal.
    const stored = w.deps.deals.deals.get(`${inviterDeal.orgId}/${inviterDeal.id}`)!;
    stored.registration = {
      status: 'action-required',
      submittedAt: '2026-10-30T09:00:00.000Z',
      contractSigned: true,
      messages: [{ at: '2026-10-31T09:00:00.000Z', decision: 'action-required', text: 'Attach the <PO>' }],
    };
  });

  it('emails the deal team the decision and the host message, linking to the deal', async () => {
    await deliverEvent(deps, registrationEvent('action-required'), SETTINGS);
    expect(recipients(deps.mailer.sent)).toEqual(FABRIKAM);
    const [email] = deps.mailer.sent;
    expect(email?.subject).toBe('Deal registration needs your action: Tailspin data platform');
    expect(email?.text).toContain('Attach the <PO>');
    expect(email?.html).toContain('Attach the &lt;PO&gt;');
    expect(email?.text).toContain(`${APP}/deals/${inviterDeal.id}`);
  });

  it('tells nobody about a submission when the host is not in the engagement', async () => {
    const outcome = await deliverEvent(deps, registrationEvent('submitted'), SETTINGS);
    expect(deps.mailer.sent).toEqual([]);
    expect(outcome.done).toEqual([PUBLISH_CHANNEL]);
  });

  it("emails the host's reviewers on a submission and a resubmission, linking to the host's deal", async () => {
    await w.member(w.host, 'contoso-reviewer', ['referrals-admin']);
    await w.member(w.host, 'contoso-seller', ['referral-user'], ['DE']);
    const deal = await w.create(w.partner, {
      name: 'Co-sell registration',
      customer: {
        id: w.customer.id,
        contact: { name: 'Cy', phone: '+49 1', email: 'cy@t.example' },
        consentToShareWithHost: true,
      },
    });
    await inviteToDeal(w.deps, w.partner, { dealId: deal.id, host: { helpType: 'general' } });
    const hostDeal = await inboundOf(w.host);
    await acceptInvitation(w.deps, w.host, {
      dealId: hostDeal.id,
      team: [{ name: 'Host', email: w.host.email, phone: '1' }],
    });
    await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'won' });
    await registerDeal(w.deps, w.partner, { dealId: deal.id, contractSigned: true });

    await deliverEvent(deps, eventsOf('registration.updated').at(-1) as DomainEvent, SETTINGS);
    expect(recipients(deps.mailer.sent)).toEqual([
      'contoso-admin@contoso.example',
      'contoso-reviewer@example.com',
    ]);
    const [email] = deps.mailer.sent;
    expect(email?.subject).toBe('Registration submitted for your review: Co-sell registration');
    expect(email?.text).toContain(`${APP}/deals/${hostDeal.id}`);

    await reviewRegistration(w.deps, w.host, {
      dealId: hostDeal.id,
      orgId: w.partner.orgId,
      decision: 'action-required',
      message: 'Attach the PO.',
    });
    await registerDeal(w.deps, w.partner, { dealId: deal.id, contractSigned: true, purchaseOrder: 'PO-1' });
    deps.mailer.sent.length = 0;
    await deliverEvent(deps, eventsOf('registration.updated').at(-1) as DomainEvent, SETTINGS);
    expect(deps.mailer.sent[0]?.subject).toBe(
      'Registration resubmitted for your review: Co-sell registration',
    );
  });
});

describe('recipients are the current members of the org concerned, worked out when the email is sent', () => {
  /** A Fabrikam deal invited by `inviter`, with `team`, and Adatum invited to it; Adatum's deal id. */
  const inviteAs = async (inviter: Actor, team: { name: string; email: string; phone: string }[]) => {
    const deal = await w.create(inviter, { name: 'Relay check', team });
    const view = await inviteToDeal(w.deps, inviter, {
      dealId: deal.id,
      partners: [{ orgId: w.other.orgId, helpType: 'technical' }],
    });
    return view.deal.participants[w.other.orgId]?.dealId ?? '';
  };
  const latest = (type: EventType): DomainEvent => {
    const event = eventsOf(type).at(-1);
    if (!event) throw new Error(`no ${type}`);
    return event;
  };

  it('a removed inviting user gets no email about the answer; with no member on the team, the admins do', async () => {
    const inviter = await w.member(w.partner, 'fabrikam-inviter', ['referrals-admin']);
    const theirs = await inviteAs(inviter, [
      { name: 'Ann Seller', email: 'ann@fabrikam.example', phone: '1' },
      { name: 'Outside', email: 'relay@elsewhere.example', phone: '2' },
      { name: 'Inviter', email: inviter.email, phone: '3' },
    ]);
    await removeMember(w.deps, w.partner, { email: inviter.email });
    await acceptInvitation(w.deps, w.other, {
      dealId: theirs,
      team: [{ name: 'Ada', email: w.other.email, phone: '1' }],
    });

    const outcome = await deliverEvent(deps, latest('invitation.accepted'), SETTINGS);
    expect(outcome.failed).toEqual([]);
    expect(recipients(deps.mailer.sent)).toEqual(['fabrikam-admin@fabrikam.example']);
    expect(deps.mailer.tried).not.toContain(inviter.email);
    expect(deps.mailer.tried).not.toContain('relay@elsewhere.example');
    expect(deps.mailer.tried).not.toContain('ann@fabrikam.example');
  });

  it('a member removed after the event was written, before it is sent, is not told', async () => {
    const theirs = await inboundOf(w.other);
    await declineInvitation(w.deps, w.other, { dealId: theirs.id, reason: 'not-a-fit' });
    await removeMember(w.deps, w.partner, { email: 'fabrikam-seller@example.com' });

    await deliverEvent(deps, onlyEvent('invitation.declined'), SETTINGS);
    expect(recipients(deps.mailer.sent)).toEqual(['fabrikam-admin@fabrikam.example']);
  });

  it('an address of another org or domain on the team never receives mail, even when it is a member elsewhere', async () => {
    const inviter = await w.member(w.partner, 'fabrikam-inviter', ['referrals-admin']);
    const theirs = await inviteAs(inviter, [
      { name: 'Inviter', email: inviter.email, phone: '1' },
      // Adatum's admin is a member, of another org: a contact on Fabrikam's deal.
      { name: 'Their admin', email: w.other.email, phone: '2' },
      { name: 'Relay', email: 'relay@elsewhere.example', phone: '3' },
    ]);
    await declineInvitation(w.deps, w.other, { dealId: theirs, reason: 'not-a-fit' });

    await deliverEvent(deps, latest('invitation.declined'), SETTINGS);
    expect(recipients(deps.mailer.sent)).toEqual([inviter.email]);
  });
});

describe('permanent refusals', () => {
  const REFUSED = 'adatum-de@example.com';

  it('are recorded as failed once, never retried, and do not hold the event back', async () => {
    const event = onlyEvent('invitation.created');
    deps.mailer.refuse(REFUSED);

    const first = await deliverEvent(deps, event, SETTINGS);
    expect(first.failed).toEqual([]);
    expect(first.rejected).toEqual([
      {
        channel: emailChannel(REFUSED),
        reason: `MessageRejected: ${REFUSED} is refused`,
        code: 'MessageRejected',
      },
    ]);
    expect(deps.deliveries.resultOf(event.id, emailChannel(REFUSED))).toEqual({
      outcome: 'failed',
      reason: `MessageRejected: ${REFUSED} is refused`,
    });
    expect(recipients(deps.mailer.sent)).toEqual([
      'adatum-admin@adatum.example',
      'adatum-radmin@example.com',
    ]);
    expect(deps.metrics).toMatchObject({ sent: 2, rejected: 1, failed: 0 });
    expect(deps.deliveries.settled.has(event.id)).toBe(true);

    const again = await deliverEvent(deps, event, SETTINGS);
    expect(again.skipped).toContain(emailChannel(REFUSED));
    expect(deps.mailer.tried.filter((to) => to === REFUSED)).toHaveLength(1);
  });

  it('next to a transient failure: the retry sends only the transient one, and then the event is settled', async () => {
    const event = onlyEvent('invitation.created');
    deps.mailer.refuse(REFUSED);
    deps.mailer.failWhile((email) => email.to === 'adatum-radmin@example.com');

    const first = await deliverEvent(deps, event, SETTINGS);
    expect(first.failed.map((failure) => failure.channel)).toEqual([
      emailChannel('adatum-radmin@example.com'),
    ]);
    expect(first.rejected.map((failure) => failure.channel)).toEqual([emailChannel(REFUSED)]);
    expect(deps.deliveries.settled.has(event.id)).toBe(false);

    deps.mailer.failWhile(undefined);
    const second = await deliverEvent(deps, event, SETTINGS);
    expect(second).toMatchObject({
      failed: [],
      rejected: [],
      done: [emailChannel('adatum-radmin@example.com')],
    });
    expect(recipients(deps.mailer.sent)).toEqual([
      'adatum-admin@adatum.example',
      'adatum-radmin@example.com',
    ]);
    expect(deps.mailer.tried.filter((to) => to === REFUSED)).toHaveLength(1);
    expect(deps.deliveries.settled.has(event.id)).toBe(true);
  });
});

describe('exactly once', () => {
  it('a redelivered event sends nothing twice', async () => {
    const event = onlyEvent('invitation.created');
    await deliverEvent(deps, event, SETTINGS);
    const again = await deliverEvent(deps, event, SETTINGS);
    expect(deps.mailer.sent).toHaveLength(3);
    expect(again.done).toEqual([]);
    expect(again.skipped).toHaveLength(4);
  });

  it('failed sends are reported, the event is not settled, and a retry sends only the rest', async () => {
    const event = onlyEvent('invitation.created');
    deps.mailer.failNext(2);
    const first = await deliverEvent(deps, event, SETTINGS);
    expect(first.failed.map((failure) => failure.channel)).toHaveLength(2);
    expect(deps.mailer.sent).toHaveLength(1);
    expect(deps.metrics.failed).toBe(2);
    expect(deps.deliveries.settled.has(event.id)).toBe(false);

    const second = await deliverEvent(deps, event, SETTINGS);
    expect(second.failed).toEqual([]);
    expect(recipients(deps.mailer.sent)).toEqual([
      'adatum-admin@adatum.example',
      'adatum-de@example.com',
      'adatum-radmin@example.com',
    ]);
    expect(deps.deliveries.settled.get(event.id)).toBe('2026-11-08T09:00:00.000Z');
  });

  it('a failed publish is retried without resending emails', async () => {
    const event = onlyEvent('invitation.created');
    deps.events.failing = true;
    const first = await deliverEvent(deps, event, SETTINGS);
    expect(first.failed).toEqual([{ channel: PUBLISH_CHANNEL, reason: 'EventBridge is unavailable' }]);
    expect(deps.mailer.sent).toHaveLength(3);
    deps.events.failing = false;
    await deliverEvent(deps, event, SETTINGS);
    expect(deps.events.published).toEqual([event]);
    expect(deps.mailer.sent).toHaveLength(3);
  });

  it('a claim left by an attempt that died blocks until its lease ends, then is taken over', async () => {
    const event = onlyEvent('invitation.created');
    // A dead attempt claimed the admin's email and never finished.
    const channel = emailChannel('Adatum-Admin@adatum.example');
    await deps.deliveries.claim(event.id, channel, consumerClock.now(), new Date('2026-11-01T09:01:00.000Z'));

    const blocked = await deliverEvent(deps, event, SETTINGS);
    expect(blocked.failed).toEqual([
      { channel, reason: 'claimed by another attempt until 2026-11-01T09:01:00.000Z' },
    ]);
    expect(recipients(deps.mailer.sent)).toEqual(['adatum-de@example.com', 'adatum-radmin@example.com']);
    expect(deps.deliveries.settled.has(event.id)).toBe(false);

    consumerClock.set('2026-11-01T09:01:00.001Z');
    const taken = await deliverEvent(deps, event, SETTINGS);
    expect(taken.done).toEqual([channel]);
    expect(recipients(deps.mailer.sent)).toEqual([
      'adatum-admin@adatum.example',
      'adatum-de@example.com',
      'adatum-radmin@example.com',
    ]);
    expect(deps.deliveries.settled.has(event.id)).toBe(true);
  });
});
