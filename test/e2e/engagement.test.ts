/**
 * The engagement over HTTP on the local runtime, with two partners and the host: one team on every
 * participant's deal, one conversation (comments and their digest email), withdrawals (directly and
 * by closing), second chances, the co-sell ecosystem rules and the pipeline by campaign.
 */
import { describe, expect, it } from 'vitest';
import {
  type ApiClient,
  type CapturedEmail,
  fabrikamDealBody,
  useLocalRuntime,
} from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;

const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);
const adatum = () => local.api.as(ORGS.adatum.admin.sub);
const northwind = () => local.api.as(ORGS.northwind.admin.sub);
const host = () => local.api.as(ORGS.host.seller.sub);

const FAB_TEAM = [{ name: 'Fabrikam Admin', email: ORGS.fabrikam.admin.email, phone: '+49 30 1' }];
const ADA_TEAM = [{ name: 'Adatum Admin', email: ORGS.adatum.admin.email, phone: '+33 1' }];

const newDeal = async (name: string, invite?: unknown, extra: Record<string, unknown> = {}) => {
  const demo = await local.demo();
  const created = await fabrikam().post(
    '/v1/deals',
    fabrikamDealBody(demo, {
      name,
      value: { amount: 1000, currency: 'EUR' },
      ...(invite ? { invite } : {}),
      ...extra,
    }),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
};

const inboundOf = async (client: ApiClient, engagementId: string, status = 'received') => {
  const page = await client.get(`/v1/deals?view=inbound&status=${status}&limit=100`);
  const deal = page.body.items.find((item: { engagementId: string }) => item.engagementId === engagementId);
  expect(deal, `no ${status} inbound deal of engagement ${engagementId}`).toBeDefined();
  return deal;
};

type Entry = { orgName: string; status: string; team: unknown[] };
const entry = (deal: { participants: Entry[] }, orgName: string) =>
  deal.participants.find((participant) => participant.orgName === orgName);

const emailsTo = async (to: string, subject: string): Promise<CapturedEmail[]> =>
  (await local.emails()).filter((email) => email.destination.to.includes(to) && email.subject === subject);

describe('one team and one conversation', () => {
  it('shows accepted teams on every org’s deal and keeps comments to the orgs taking part', async () => {
    const demo = await local.demo();
    const deal = await newDeal('Engage: team and talk', {
      partners: [{ orgId: demo.orgIds.adatum, helpType: 'technical' }],
    });
    const invitation = await inboundOf(adatum(), deal.engagementId);
    // Received: the inviter's team on the invitation, no team in the participants, no comments.
    expect(invitation.invitation.inviterTeam).toEqual(FAB_TEAM);
    expect(entry(invitation, ORGS.fabrikam.name)).toMatchObject({ status: 'accepted', team: [] });

    const posted = await fabrikam().post(`/v1/deals/${deal.id}/comments`, {
      text: 'Welcome aboard',
      visibility: 'engagement',
    });
    expect(posted.status).toBe(201);
    expect(posted.body).toEqual({
      id: expect.any(String),
      text: 'Welcome aboard',
      visibility: 'engagement',
      author: { orgId: demo.orgIds.fabrikam, orgName: ORGS.fabrikam.name, name: expect.any(String) },
      createdAt: expect.any(String),
    });
    await fabrikam().post(`/v1/deals/${deal.id}/comments`, { text: 'Fabrikam only', visibility: 'org' });
    expect((await adatum().get(`/v1/deals/${invitation.id}/comments`)).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expectProblem(
      await adatum().post(`/v1/deals/${invitation.id}/comments`, { text: 'hi', visibility: 'engagement' }),
      409,
      'invalid-transition',
    );

    const accepted = await adatum().post(`/v1/deals/${invitation.id}/accept`, { team: ADA_TEAM });
    expect(accepted.status).toBe(200);
    expect(entry(accepted.body, ORGS.fabrikam.name)?.team).toEqual(FAB_TEAM);
    expect(entry((await fabrikam().get(`/v1/deals/${deal.id}`)).body, ORGS.adatum.name)).toMatchObject({
      status: 'accepted',
      team: ADA_TEAM,
    });
    // A list page reads no team: the deal read on its own shows them.
    expect(entry(await inboundOf(adatum(), deal.engagementId, 'accepted'), ORGS.fabrikam.name)).toMatchObject(
      {
        status: 'accepted',
        team: [],
      },
    );

    const reply = await adatum().post(`/v1/deals/${invitation.id}/comments`, {
      text: 'Glad to help',
      visibility: 'engagement',
    });
    expect(reply.status).toBe(201);
    const texts = async (client: ApiClient, dealId: string) =>
      (await client.get(`/v1/deals/${dealId}/comments`)).body.items.map((c: { text: string }) => c.text);
    expect(await texts(adatum(), invitation.id)).toEqual(['Glad to help', 'Welcome aboard']);
    expect(await texts(fabrikam(), deal.id)).toEqual(['Glad to help', 'Fabrikam only', 'Welcome aboard']);
    const firstPage = await fabrikam().get(`/v1/deals/${deal.id}/comments?limit=1`);
    expect(firstPage.body.items).toHaveLength(1);
    const rest = await fabrikam().get(
      `/v1/deals/${deal.id}/comments?limit=5&cursor=${firstPage.body.nextCursor}`,
    );
    expect(rest.body.items.map((c: { text: string }) => c.text)).toEqual(['Fabrikam only', 'Welcome aboard']);
    // Another org's deal is not found, also for comments.
    expectProblem(await northwind().get(`/v1/deals/${deal.id}/comments`), 404);

    // Adatum's comment reaches Fabrikam's deal team (its admin) as a digest, once.
    const subject = `New comment from ${ORGS.adatum.name}: Engage: team and talk`;
    const [digest] = await local.eventually('the comment digest', async () => {
      const emails = await emailsTo(ORGS.fabrikam.admin.email, subject);
      return emails.length > 0 ? emails : undefined;
    });
    expect(digest?.body.text).toContain('Glad to help');
    expect(digest?.body.text).toContain(`${local.url}/deals/${deal.id}`);
    // A second comment within the hour sends nothing more to that deal's people.
    await adatum().post(`/v1/deals/${invitation.id}/comments`, {
      text: 'One more',
      visibility: 'engagement',
    });
    await local.eventually('the second comment event', async () => {
      const events = (await local.events()).filter((e) => e.detailType === 'comment.created');
      return events.filter((e) => e.detail.engagementId === deal.engagementId).length === 2
        ? true
        : undefined;
    });
    // (Fabrikam's own first comment may reach Adatum's team too: its digest is planned when the
    // consumer reads the event, which under load can be after Adatum accepted with a team.)
    expect(
      (await emailsTo(ORGS.fabrikam.admin.email, subject)).map(
        (e) => `${e.destination.to.join(', ')} | ${e.subject} | ${e.body.text}`,
      ),
    ).toHaveLength(1);

    // No later comment comes: once the hour is over, the scheduled sweep mails the throttled one.
    expect((await local.api.anonymous.post('/dev/clock', { advance: 'PT2H' })).status).toBe(200);
    try {
      const [, owed] = await local.eventually('the owed digest', async () => {
        // The job runs until the consumer has recorded the owed digest and it has been sent.
        expect((await local.api.anonymous.post('/dev/jobs/expire-invitations')).status).toBe(200);
        const emails = await emailsTo(ORGS.fabrikam.admin.email, subject);
        return emails.length > 1 ? emails : undefined;
      });
      expect(owed?.body.text).toContain('One more');
      expect(owed?.body.text).not.toContain('Glad to help');
      // Sent once: another run finds nothing owed to claim.
      const again = await local.api.anonymous.post('/dev/jobs/expire-invitations');
      expect(again.status).toBe(200);
      expect(JSON.stringify(again.body)).toMatch(/"digests":\{[^}]*"claimed":0/);
    } finally {
      await local.api.anonymous.delete('/dev/clock');
    }

    // Lost: no new comments.
    await fabrikam().post(`/v1/deals/${deal.id}/close`, { outcome: 'lost', reason: 'no-budget' });
    expectProblem(
      await fabrikam().post(`/v1/deals/${deal.id}/comments`, { text: 'late', visibility: 'org' }),
      409,
      'terminal-deal',
    );
  });
});

describe('withdrawals and second chances', () => {
  it('withdraws a received invitation, tells the invitee, and lets the inviter invite again', async () => {
    const demo = await local.demo();
    const deal = await newDeal('Engage: withdraw', {
      partners: [{ orgId: demo.orgIds.northwind, helpType: 'general' }],
    });
    const invitation = await inboundOf(northwind(), deal.engagementId);

    expectProblem(
      await northwind().delete(`/v1/deals/${invitation.id}/invitations/${demo.orgIds.fabrikam}`),
      422,
      'not-inviter',
    );
    const withdrawn = await fabrikam().delete(`/v1/deals/${deal.id}/invitations/${demo.orgIds.northwind}`);
    expect(withdrawn.status).toBe(200);
    expect(entry(withdrawn.body, ORGS.northwind.name)?.status).toBe('withdrawn');
    expect((await northwind().get(`/v1/deals/${invitation.id}`)).body.status).toBe('withdrawn');
    expectProblem(await northwind().post(`/v1/deals/${invitation.id}/accept`, {}), 409, 'terminal-deal');
    expectProblem(
      await fabrikam().delete(`/v1/deals/${deal.id}/invitations/${demo.orgIds.northwind}`),
      409,
      'invalid-transition',
    );
    await local.eventually('the withdrawal email', async () => {
      const emails = await emailsTo(
        ORGS.northwind.admin.email,
        `${ORGS.fabrikam.name} withdrew its invitation: Engage: withdraw`,
      );
      return emails.length === 1 ? emails : undefined;
    });

    // A second chance: a new inbound deal, received again, with a new clock.
    const again = await fabrikam().post(`/v1/deals/${deal.id}/invitations`, {
      partners: [{ orgId: demo.orgIds.northwind, helpType: 'general' }],
    });
    expect(again.status).toBe(200);
    expect(entry(again.body, ORGS.northwind.name)?.status).toBe('received');
    const second = await inboundOf(northwind(), deal.engagementId);
    expect(second.id).not.toBe(invitation.id);
    expectProblem(
      await fabrikam().post(`/v1/deals/${deal.id}/invitations`, {
        partners: [{ orgId: demo.orgIds.northwind, helpType: 'general' }],
      }),
      409,
      'already-participant',
    );
    // Declined, then invited again.
    await northwind().post(`/v1/deals/${second.id}/decline`, { reason: 'no-capacity' });
    const third = await fabrikam().post(`/v1/deals/${deal.id}/invitations`, {
      partners: [{ orgId: demo.orgIds.northwind, helpType: 'general' }],
    });
    expect(entry(third.body, ORGS.northwind.name)?.status).toBe('received');
  });

  it('stops invitation flooding: 3 invitations of one org a day, one email an hour', async () => {
    const demo = await local.demo();
    const name = 'Engage: flood';
    const deal = await newDeal(name);
    const inviteAdatum = () =>
      fabrikam().post(`/v1/deals/${deal.id}/invitations`, {
        partners: [{ orgId: demo.orgIds.adatum, helpType: 'general' }],
      });
    for (let round = 0; round < 3; round++) {
      expect((await inviteAdatum()).status).toBe(200);
      expect((await fabrikam().delete(`/v1/deals/${deal.id}/invitations/${demo.orgIds.adatum}`)).status).toBe(
        200,
      );
    }
    const refused = await inviteAdatum();
    expectProblem(refused, 429, 'invitation-limit');
    expect(refused.body.detail).toMatch(/Adatum .* 3 times in the last 24 hours/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(23 * 3600);

    const withdrawn = await adatum().get('/v1/deals?view=inbound&status=withdrawn&limit=100');
    expect(
      withdrawn.body.items.filter(
        (item: { engagementId: string }) => item.engagementId === deal.engagementId,
      ),
    ).toHaveLength(3);

    // A later invitation to another engagement is emailed; once it arrived, the flood's are settled.
    const sentinel = await newDeal('Engage: after the flood', {
      partners: [{ orgId: demo.orgIds.adatum, helpType: 'general' }],
    });
    await local.eventually('the next engagement’s invitation email', async () => {
      const emails = await emailsTo(
        ORGS.adatum.admin.email,
        `${ORGS.fabrikam.name} invited you to co-sell: ${sentinel.name}`,
      );
      return emails.length === 1 ? emails : undefined;
    });
    expect(
      await emailsTo(ORGS.adatum.admin.email, `${ORGS.fabrikam.name} invited you to co-sell: ${name}`),
    ).toHaveLength(1);
    expect(
      await emailsTo(ORGS.adatum.admin.email, `${ORGS.fabrikam.name} withdrew its invitation: ${name}`),
    ).toHaveLength(1);
  });

  it('closing a deal withdraws its received invitations, the host’s included, in the same write', async () => {
    const demo = await local.demo();
    const deal = await newDeal('Engage: close withdraws', {
      host: { helpType: 'architecture', notes: 'need an architect' },
      partners: [{ orgId: demo.orgIds.adatum, helpType: 'none' }],
    });
    const hostInvitation = await inboundOf(host(), deal.engagementId);
    // A host invitation carries the inviter's team.
    expect(hostInvitation.invitation.inviterTeam).toEqual(FAB_TEAM);
    const adatumInvitation = await inboundOf(adatum(), deal.engagementId);

    const lost = await fabrikam().post(`/v1/deals/${deal.id}/close`, {
      outcome: 'lost',
      reason: 'no-budget',
    });
    expect(lost.status).toBe(200);
    expect(lost.body.participants.map((p: { status: string }) => p.status)).toEqual([
      'withdrawn',
      'withdrawn',
    ]);
    for (const [client, id] of [
      [host(), hostInvitation.id],
      [adatum(), adatumInvitation.id],
    ] as const) {
      expect((await client.get(`/v1/deals/${id}`)).body.status).toBe('withdrawn');
      expectProblem(await client.post(`/v1/deals/${id}/decline`, { reason: 'other' }), 409, 'terminal-deal');
    }
  });
});

describe('the ecosystem, the report and small truths', () => {
  it('takes only co-sell-ready own solutions and lists only partners in the ecosystem', async () => {
    const demo = await local.demo();
    const refused = await fabrikam().post('/v1/deals', {
      customer: { id: demo.customers['Alpine Ski House'] },
      name: 'Engage: draft solution',
      location: 'DE',
      value: { amount: 1, currency: 'EUR' },
      closeDate: '2030-06-30',
      team: FAB_TEAM,
      solutions: [demo.solutions['Fabrikam Internal Toolkit']],
    });
    expectProblem(refused, 422, 'solution-not-co-sell-ready');

    const onboarded = await local.api.anonymous.post('/dev/orgs', {
      name: 'Engage Newcomer',
      kind: 'partner',
      admin: { sub: 'engage-newcomer', email: 'admin@newcomer.example', name: 'Nia' },
    });
    expect(onboarded.status).toBe(201);
    const search = async () =>
      (await fabrikam().get('/v1/partners?q=engage')).body.items.map((p: { name: string }) => p.name);
    expect(await search()).toEqual([]);
    const published = await local.api
      .as('engage-newcomer')
      .post('/v1/solutions', { name: 'Newcomer offer', coSellReady: true });
    expect(published.status).toBe(201);
    expect(await search()).toEqual(['Engage Newcomer']);
  });

  it('reports the pipeline by campaign, and reads country codes in either case', async () => {
    await newDeal('Engage: campaign A', undefined, { campaignId: 'ENG-CMP-A' });
    await newDeal('Engage: campaign A2', undefined, { campaignId: 'ENG-CMP-A' });
    const report = await fabrikam().get('/v1/reports/pipeline?campaignId=ENG-CMP-A');
    expect(report.status).toBe(200);
    expect(report.body.byCampaign).toEqual({ 'ENG-CMP-A': { count: 2, value: { EUR: 2000 } } });
    expect(report.body.byStatus.accepted.count).toBe(2);

    const upper = await fabrikam().get('/v1/customers?country=DE&q=alp');
    const lower = await fabrikam().get('/v1/customers?country=de&q=alp');
    expect(lower.status).toBe(200);
    expect(lower.body.items).toEqual(upper.body.items);
    expect(lower.body.items.length).toBeGreaterThan(0);
  });
});
