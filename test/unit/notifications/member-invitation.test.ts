import { beforeEach, describe, expect, it } from 'vitest';
import { declineInvitation } from '#domain/identity/invitations.ts';
import { inviteMember, removeMember } from '#domain/identity/members.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import type { MemberEvent } from '#domain/kernel/events.ts';
import { deliverEvent, PUBLISH_CHANNEL } from '#domain/notifications/deliver.ts';
import { memberInvitationMessage, renderEmail } from '#domain/notifications/messages.ts';
import { planNotifications } from '#domain/notifications/plan.ts';
import type { NotificationDeps } from '#domain/notifications/ports.ts';
import { settableClock } from '#test/support/deal-world.ts';
import {
  CountingMetrics,
  MemoryDeliveryLog,
  RecordingMailer,
  RecordingPublisher,
} from '#test/support/memory/notifications.ts';
import { type World, world } from '../identity/world.ts';

const APP = 'https://app.example/';
const SETTINGS = { appBaseUrl: APP, leaseMs: 60_000, retentionMs: 7 * 24 * 3600_000 };
const SAM = { email: 'Sam@Example.com', name: 'Sam', roles: ['referral-user' as const], locations: ['DE'] };

let w: World;
let admin: Actor;
let deps: NotificationDeps & { mailer: RecordingMailer; events: RecordingPublisher };

const events = (): MemberEvent[] => w.memberships.outbox;
const lastEvent = (): MemberEvent => {
  const event = events().at(-1);
  if (!event) throw new Error('no member.invited event');
  return event;
};

beforeEach(async () => {
  w = world();
  admin = await w.org('Fabrikam');
  deps = {
    clock: settableClock('2026-11-01T09:00:00.000Z'),
    orgs: w.orgs,
    memberships: w.memberships,
    deals: w.deals,
    comments: w.comments,
    mailer: new RecordingMailer(),
    events: new RecordingPublisher(),
    deliveries: new MemoryDeliveryLog(),
    metrics: new CountingMetrics(),
  };
});

describe('the member invitation email', () => {
  it('is one email to the invited address, naming the org, the inviter and the roles, linking to /join', async () => {
    await inviteMember(w, admin, SAM);
    expect(events()).toEqual([
      {
        id: expect.any(String),
        type: 'member.invited',
        at: '2026-11-01T09:00:00.000Z',
        orgId: admin.orgId,
        member: { email: 'sam@example.com' },
        actor: { sub: admin.sub, email: admin.email, name: admin.name },
      },
    ]);
    const [email, ...more] = await planNotifications(deps, lastEvent(), APP);
    expect(more).toEqual([]);
    expect(email?.to).toBe('sam@example.com');
    expect(email?.subject).toBe('Fabrikam Admin invited you to join Fabrikam on Co-sell referrals');
    expect(email?.text).toContain('Roles: Referral user');
    expect(email?.text).toContain('Locations: DE');
    expect(email?.text).toContain(`Invited by: Fabrikam Admin (${admin.email})`);
    expect(email?.text).toContain('https://app.example/join');
    expect(email?.html).toContain('href="https://app.example/join"');
  });

  it('escapes the org and inviter names in the HTML part and keeps the subject on one line', () => {
    const email = renderEmail(
      'sam@example.com',
      memberInvitationMessage({
        orgName: '<img src=x onerror=alert(1)> & "Co"',
        inviterName: "Eve\r\nBcc: evil@x.example O'Neil",
        inviterEmail: 'eve@x.example',
        roles: ['org-admin', 'referrals-admin'],
        locations: [],
      }),
      APP,
    );
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;');
    expect(email.html).toContain('O&#39;Neil');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toContain('Roles: Organization admin, Referrals admin');
    expect(email.text).not.toContain('Locations:');
  });

  it('is sent once, and never published to the event bus (webhooks and connectors hear of deals only)', async () => {
    await inviteMember(w, admin, SAM);
    const first = await deliverEvent(deps, lastEvent(), SETTINGS);
    const again = await deliverEvent(deps, lastEvent(), SETTINGS);
    expect(deps.mailer.sent.map((email) => email.to)).toEqual(['sam@example.com']);
    expect(deps.events.published).toEqual([]);
    expect(first.done).not.toContain(PUBLISH_CHANNEL);
    expect(again.skipped).toEqual(['email:sam@example.com']);
  });

  it('is not sent once the invitation is answered or removed before the email goes out', async () => {
    await inviteMember(w, admin, SAM);
    const event = lastEvent();
    await declineInvitation(
      w,
      { sub: 'sam-sub', email: 'sam@example.com', emailVerified: true },
      {
        orgId: admin.orgId,
      },
    );
    expect(await planNotifications(deps, event, APP)).toEqual([]);
    await removeMember(w, admin, { email: SAM.email });
    expect(await planNotifications(deps, event, APP)).toEqual([]);
  });

  it('goes to an address at most once an hour per org, however often it is removed and invited again', async () => {
    await inviteMember(w, admin, SAM);
    await removeMember(w, admin, { email: SAM.email });
    w.setNow('2026-11-01T09:59:59.000Z');
    await inviteMember(w, admin, SAM);
    expect(events()).toHaveLength(1);
    await removeMember(w, admin, { email: SAM.email });
    w.setNow('2026-11-01T10:00:00.000Z');
    await inviteMember(w, admin, SAM);
    expect(events().map((event) => event.at)).toEqual([
      '2026-11-01T09:00:00.000Z',
      '2026-11-01T10:00:00.000Z',
    ]);
  });

  it('decides the hourly limit in the write: an invitation that read an outdated mark reads again and is not emailed', async () => {
    await inviteMember(w, admin, SAM);
    await removeMember(w, admin, { email: SAM.email });
    // The first read misses the mark, as a read racing the other invitation's write would.
    const read = w.memberships.getInvitationEmailMark.bind(w.memberships);
    let reads = 0;
    w.memberships.getInvitationEmailMark = async (orgId, email) =>
      ++reads === 1 ? undefined : read(orgId, email);
    await inviteMember(w, admin, SAM);
    expect(reads).toBe(2);
    expect(events()).toHaveLength(1);
    expect(await w.memberships.get(admin.orgId, 'sam@example.com')).toMatchObject({ status: 'invited' });
  });

  it('counts per org: another org inviting the same address emails it too', async () => {
    const other = await w.org('Adatum');
    await inviteMember(w, admin, SAM);
    await inviteMember(w, other, SAM);
    expect(events().map((event) => event.orgId)).toEqual([admin.orgId, other.orgId]);
  });
});
