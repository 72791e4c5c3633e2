import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '#domain/actor.ts';
import { acceptInvitation, declineInvitation } from '#domain/deals/answer-invitation.ts';
import { expireInvitations } from '#domain/deals/expire-invitations.ts';
import { inviteToDeal } from '#domain/deals/invite.ts';
import { listDeals } from '#domain/deals/read-deals.ts';
import type { DomainEvent, EventType } from '#domain/events.ts';
import type { Deal } from '#domain/model.ts';
import { deliverEvent, emailChannel, PUBLISH_CHANNEL } from '#domain/notifications/deliver.ts';
import type { NotificationDeps, OutgoingEmail } from '#domain/ports.ts';
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
const INVITEE_SECRETS = ['DECLINE-NOTES-8802', 'CRM-INVITEE-3303', 'INVITEE-NOTES-6604'];

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
    mailer: new RecordingMailer(),
    events: new RecordingPublisher(),
    deliveries: new MemoryDeliveryLog(),
    metrics: new CountingMetrics(),
  };
  // Invitee org (Adatum): its admin, a referrals-admin, referral-users in and out of the deal's location.
  await w.member(w.other, 'adatum-radmin', ['referrals-admin']);
  await w.member(w.other, 'adatum-de', ['referral-user'], ['DE']);
  await w.member(w.other, 'adatum-fr', ['referral-user'], ['FR']);
  inviterDeal = await w.create(w.partner, {
    notes: INVITER_SECRETS[0],
    crmId: INVITER_SECRETS[1],
    campaignId: INVITER_SECRETS[2],
    team: [
      { name: 'Ann Seller', email: 'ann@fabrikam.example', phone: '+49 30 1234' },
      // The inviting user is on the team too, spelled differently: one email only.
      { name: 'The Admin', email: 'Fabrikam-Admin@Fabrikam.example', phone: '+49 30 9' },
    ],
  });
  await inviteToDeal(
    w.deps,
    w.partner,
    inviterDeal.id,
    { partners: [{ orgId: w.other.orgId, helpType: 'architecture', notes: INVITER_SECRETS[3] }] },
    undefined,
  );
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
  it('a decline emails the inviting team and the inviting user with the reason, and nothing of the invitee deal', async () => {
    const theirs = await inboundOf(w.other);
    await declineInvitation(
      w.deps,
      w.other,
      theirs.id,
      { reason: 'no-capacity', notes: INVITEE_SECRETS[0] },
      undefined,
    );
    await deliverEvent(deps, onlyEvent('invitation.declined'), SETTINGS);

    expect(recipients(deps.mailer.sent)).toEqual(
      ['Fabrikam-Admin@Fabrikam.example', 'ann@fabrikam.example'].sort(),
    );
    for (const email of deps.mailer.sent) {
      expect(email.subject).toBe('Adatum declined your invitation: Tailspin data platform');
      expect(email.text).toContain('Reason: No capacity');
      expect(email.text).toContain(`${APP}/deals/${inviterDeal.id}`);
      expect(everything(email)).not.toContain(theirs.id);
      for (const secret of INVITEE_SECRETS) expect(everything(email)).not.toContain(secret);
    }
  });

  it('an acceptance tells the inviter who accepted, not what the invitee wrote on its deal', async () => {
    const theirs = await inboundOf(w.other);
    await acceptInvitation(
      w.deps,
      w.other,
      theirs.id,
      {
        crmId: INVITEE_SECRETS[1],
        notes: INVITEE_SECRETS[2],
        team: [{ name: 'Ada', email: 'adatum-admin@adatum.example', phone: '1' }],
      },
      undefined,
    );
    await deliverEvent(deps, onlyEvent('invitation.accepted'), SETTINGS);

    expect(recipients(deps.mailer.sent)).toEqual(
      ['Fabrikam-Admin@Fabrikam.example', 'ann@fabrikam.example'].sort(),
    );
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
    expect(recipients(expiry)).toEqual(['Fabrikam-Admin@Fabrikam.example', 'ann@fabrikam.example'].sort());
    expect(expiry[0]?.subject).toBe('Your invitation to Adatum expired: Tailspin data platform');
  });

  it('a reminder that arrives after the invitation was answered sends nothing', async () => {
    w.setNow('2026-11-12T10:00:00.000Z');
    await expireInvitations(w.deps);
    const theirs = await inboundOf(w.other);
    await acceptInvitation(
      w.deps,
      w.other,
      theirs.id,
      { team: [{ name: 'Ada', email: w.other.email, phone: '1' }] },
      undefined,
    );
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
    expect(recipients(deps.mailer.sent)).toEqual(
      ['Fabrikam-Admin@Fabrikam.example', 'ann@fabrikam.example'].sort(),
    );
    const [email] = deps.mailer.sent;
    expect(email?.subject).toBe('Deal registration needs your action: Tailspin data platform');
    expect(email?.text).toContain('Attach the <PO>');
    expect(email?.html).toContain('Attach the &lt;PO&gt;');
    expect(email?.text).toContain(`${APP}/deals/${inviterDeal.id}`);
  });

  it('tells nobody about the partner submitting its own registration', async () => {
    const outcome = await deliverEvent(deps, registrationEvent('submitted'), SETTINGS);
    expect(deps.mailer.sent).toEqual([]);
    expect(outcome.done).toEqual([PUBLISH_CHANNEL]);
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
