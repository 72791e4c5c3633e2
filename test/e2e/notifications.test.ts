/**
 * Notifications end to end on the local runtime: invitations, a decline, a reminder and an expiry
 * over HTTP; the stream poller feeds the real consumer, whose emails land in the SES emulator and
 * whose events land in the local events log. Checks recipients, subjects, links, that nothing of
 * the other org's deal leaks, that only members of the org concerned receive email, and that each
 * email and event arrives once.
 */
import { describe, expect, it } from 'vitest';
import { type CapturedEmail, type PublishedEvent, useLocalRuntime } from '#test/support/local-runtime.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;

const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);
const adatum = () => local.api.as(ORGS.adatum.admin.sub);
const northwind = () => local.api.as(ORGS.northwind.admin.sub);

/** Private to Fabrikam's deal: no invitee may read them in an email. */
const FABRIKAM_SECRETS = ['FAB-NOTES-8c1e', 'FAB-CRM-51f2', 'FAB-CAMPAIGN-77a0'];
/** Northwind's decline notes: written for the inviter, so the decline email carries them. */
const NORTHWIND_DECLINE_NOTES = 'NW-DECLINE-NOTES-3d9b';

const ADATUM_RECIPIENTS = [ORGS.adatum.admin.email, ORGS.adatum.referrals.email, ORGS.adatum.seller.email];
// Northwind's seller works in the US only; the deal is in DE.
const NORTHWIND_RECIPIENTS = [ORGS.northwind.admin.email, ORGS.northwind.referrals.email];
// The deal team (admin and seller) and the inviting user (the admin again): two people.
const FABRIKAM_RECIPIENTS = [ORGS.fabrikam.admin.email, ORGS.fabrikam.seller.email];

const sorted = (values: string[]) => [...values].sort();

const withSubject = async (subject: string) =>
  (await local.emails()).filter((email) => email.subject === subject);

/** Waits until every expected recipient got the email with this subject; returns them. */
const inbox = async (subject: string, recipients: string[]): Promise<CapturedEmail[]> =>
  local.eventually(`"${subject}" for ${recipients.join(', ')}`, async () => {
    const emails = await withSubject(subject);
    const reached = emails.flatMap((email) => email.destination.to);
    return recipients.every((to) => reached.includes(to)) ? emails : undefined;
  });

const eventsOf = async (predicate: (event: PublishedEvent) => boolean) =>
  (await local.events()).filter(predicate);

const expectNoLeak = (emails: CapturedEmail[], secrets: string[]) => {
  for (const email of emails) {
    const all = `${email.subject}\n${email.body.text}\n${email.body.html}`;
    for (const secret of secrets)
      expect(all, `${email.subject} to ${email.destination.to}`).not.toContain(secret);
  }
};

const inboundOf = async (client: ReturnType<typeof adatum>, engagementId: string) => {
  const page = await client.get('/v1/deals?view=inbound&limit=100');
  const deal = page.body.items.find((item: { engagementId: string }) => item.engagementId === engagementId);
  expect(deal, `no inbound deal of engagement ${engagementId}`).toBeDefined();
  return deal as { id: string };
};

type TeamEntry = { name: string; email: string; phone: string };
const FABRIKAM_TEAM: TeamEntry[] = [
  { name: 'Fabrikam Admin', email: ORGS.fabrikam.admin.email, phone: '+49 30 1' },
  { name: 'Fabrikam Seller', email: ORGS.fabrikam.seller.email, phone: '+49 30 2' },
];

const createInviting = async (
  name: string,
  partnerKeys: ('adatum' | 'northwind')[],
  team: TeamEntry[] = FABRIKAM_TEAM,
) => {
  const demo = await local.demo();
  const created = await fabrikam().post('/v1/deals', {
    customer: { id: demo.customers['Alpine Ski House'] },
    name,
    location: 'DE',
    value: { amount: 90000, currency: 'EUR' },
    closeDate: '2030-06-30',
    notes: FABRIKAM_SECRETS[0],
    crmId: FABRIKAM_SECRETS[1],
    campaignId: FABRIKAM_SECRETS[2],
    team,
    solutions: [demo.solutions['Contoso Data Platform']],
    invite: { partners: partnerKeys.map((key) => ({ orgId: demo.orgIds[key], helpType: 'technical' })) },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; engagementId: string };
};

describe('notification emails', () => {
  it('tells each invitee org its admins and the referral-users of the location, linking to its own deal', async () => {
    const name = 'Notify: new invitation';
    const deal = await createInviting(name, ['adatum', 'northwind']);
    const subject = `${ORGS.fabrikam.name} invited you to co-sell: ${name}`;

    const emails = await inbox(subject, [...ADATUM_RECIPIENTS, ...NORTHWIND_RECIPIENTS]);
    expect(sorted(emails.flatMap((email) => email.destination.to))).toEqual(
      sorted([...ADATUM_RECIPIENTS, ...NORTHWIND_RECIPIENTS]),
    );
    const adatumDeal = await inboundOf(adatum(), deal.engagementId);
    const northwindDeal = await inboundOf(northwind(), deal.engagementId);
    for (const email of emails) {
      const own = ADATUM_RECIPIENTS.includes(email.destination.to[0]!) ? adatumDeal : northwindDeal;
      expect(email.from).toBe('co-sell@host.example');
      expect(email.body.text).toContain(`${local.url}/deals/${own.id}`);
      // The invitation opens with its Accept dialog up.
      expect(email.body.html).toContain(`href="${local.url}/deals/${own.id}?action=accept"`);
      expect(email.body.text).toContain('Help requested: Technical');
    }
    expectNoLeak(emails, [...FABRIKAM_SECRETS, deal.id, ORGS.fabrikam.seller.email]);

    const published = await local.eventually('the events of the new deal', async () => {
      const events = await eventsOf((event) => event.detail.engagementId === deal.engagementId);
      return events.length >= 3 ? events : undefined;
    });
    expect(published.map((event) => event.detailType).sort()).toEqual([
      'deal.created',
      'invitation.created',
      'invitation.created',
    ]);
    expect(published.every((event) => event.source === 'co-sell.referrals')).toBe(true);
    expect(new Set(published.map((event) => event.detail.id)).size).toBe(published.length);
  });

  it('tells the inviting team and the inviting user of a decline, with the reason and the notes and nothing else of the invitee', async () => {
    const name = 'Notify: decline';
    const deal = await createInviting(name, ['northwind']);
    const theirs = await inboundOf(northwind(), deal.engagementId);
    const declined = await northwind().post(`/v1/deals/${theirs.id}/decline`, {
      reason: 'no-capacity',
      notes: NORTHWIND_DECLINE_NOTES,
    });
    expect(declined.status).toBe(200);

    const subject = `${ORGS.northwind.name} declined your invitation: ${name}`;
    const emails = await inbox(subject, FABRIKAM_RECIPIENTS);
    expect(sorted(emails.flatMap((email) => email.destination.to))).toEqual(sorted(FABRIKAM_RECIPIENTS));
    for (const email of emails) {
      expect(email.body.text).toContain('Reason: No capacity');
      expect(email.body.text).toContain(`Notes: ${NORTHWIND_DECLINE_NOTES}`);
      expect(email.body.text).toContain(`${local.url}/deals/${deal.id}`);
    }
    expectNoLeak(emails, [theirs.id, ORGS.northwind.admin.email]);
    // The invitation itself was announced once to each Northwind recipient, and never to Fabrikam.
    const invited = await inbox(
      `${ORGS.fabrikam.name} invited you to co-sell: ${name}`,
      NORTHWIND_RECIPIENTS,
    );
    expect(sorted(invited.flatMap((email) => email.destination.to))).toEqual(sorted(NORTHWIND_RECIPIENTS));

    const [event] = await local.eventually('the decline event', async () => {
      const events = await eventsOf(
        (e) => e.detailType === 'invitation.declined' && e.detail.engagementId === deal.engagementId,
      );
      return events.length > 0 ? events : undefined;
    });
    expect(event?.detail).toMatchObject({ dealId: theirs.id, detail: { reason: 'no-capacity' } });
    expect(JSON.stringify(event)).not.toContain(NORTHWIND_DECLINE_NOTES);
  });

  it('reminds the invitee 3 days before expiry and tells the inviter when it expired', async () => {
    const name = 'Notify: expiry';
    const deal = await createInviting(name, ['adatum']);
    await inbox(`${ORGS.fabrikam.name} invited you to co-sell: ${name}`, ADATUM_RECIPIENTS);
    try {
      expect((await local.api.anonymous.post('/dev/clock', { advance: 'P12D' })).status).toBe(200);
      expect((await local.api.anonymous.post('/dev/jobs/expire-invitations')).status).toBe(200);
      const reminders = await local.eventually('the reminder', async () => {
        const emails = (await local.emails()).filter(
          (email) => email.subject.startsWith('Reminder:') && email.subject.endsWith(`: ${name}`),
        );
        const reached = emails.flatMap((email) => email.destination.to);
        return ADATUM_RECIPIENTS.every((to) => reached.includes(to)) ? emails : undefined;
      });
      expect(sorted(reminders.flatMap((email) => email.destination.to))).toEqual(sorted(ADATUM_RECIPIENTS));
      expectNoLeak(reminders, [...FABRIKAM_SECRETS, deal.id]);

      expect((await local.api.anonymous.post('/dev/clock', { advance: 'P3D' })).status).toBe(200);
      expect((await local.api.anonymous.post('/dev/jobs/expire-invitations')).status).toBe(200);
      const expired = await inbox(
        `Your invitation to ${ORGS.adatum.name} expired: ${name}`,
        FABRIKAM_RECIPIENTS,
      );
      expect(sorted(expired.flatMap((email) => email.destination.to))).toEqual(sorted(FABRIKAM_RECIPIENTS));
      expect(expired[0]?.body.text).toContain(`${local.url}/deals/${deal.id}`);
    } finally {
      await local.api.anonymous.delete('/dev/clock');
    }

    // Everything of this deal arrived exactly once: the reminder job ran twice, the poller kept polling.
    const ours = (await local.emails()).filter((email) => email.subject.endsWith(`: ${name}`));
    const keys = ours.flatMap((email) => email.destination.to.map((to) => `${to} | ${email.subject}`));
    expect(keys).toHaveLength(new Set(keys).size);
    expect(keys).toHaveLength(ADATUM_RECIPIENTS.length * 2 + FABRIKAM_RECIPIENTS.length);
  });

  it('emails only members of the inviting org: team entries of another domain or another org are contacts', async () => {
    const name = 'Notify: contacts are not recipients';
    const outsider = 'relay-target@elsewhere.example';
    // Recipients are emailed in team order: were a contact a recipient, its email would go out
    // before the admin's, so once the admin has it, the contacts' absence is final.
    const deal = await createInviting(
      name,
      ['northwind'],
      [
        { name: 'Relay', email: outsider, phone: '+1 555 0100' },
        { name: 'Their admin', email: ORGS.adatum.admin.email, phone: '+1 555 0101' },
        { name: 'Fabrikam Admin', email: ORGS.fabrikam.admin.email, phone: '+49 30 1' },
      ],
    );
    const theirs = await inboundOf(northwind(), deal.engagementId);
    expect((await northwind().post(`/v1/deals/${theirs.id}/decline`, { reason: 'not-a-fit' })).status).toBe(
      200,
    );

    const subject = `${ORGS.northwind.name} declined your invitation: ${name}`;
    const emails = await inbox(subject, [ORGS.fabrikam.admin.email]);
    expect(emails.flatMap((email) => email.destination.to)).toEqual([ORGS.fabrikam.admin.email]);
    const everyone = (await local.emails()).flatMap((email) => email.destination.to);
    expect(everyone).not.toContain(outsider);
    const toAdatum = (await local.emails()).filter(
      (email) =>
        email.destination.to.includes(ORGS.adatum.admin.email) && email.subject.endsWith(`: ${name}`),
    );
    expect(toAdatum).toEqual([]);
  });
});
