/**
 * Two partner orgs and the host collaborate on one engagement over HTTP on the local runtime:
 * create with an invitation, accept, upgrade to co-sell, decline, expire, win.
 */
import { describe, expect, it } from 'vitest';
import { fabrikamDealBody, useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;

const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);
const adatum = () => local.api.as(ORGS.adatum.admin.sub);
const northwind = () => local.api.as(ORGS.northwind.admin.sub);
const host = () => local.api.as(ORGS.host.seller.sub);

const newDeal = async (invite?: unknown) => {
  const demo = await local.demo();
  return fabrikam().post('/v1/deals', fabrikamDealBody(demo, invite ? { invite } : {}));
};

const inboundFrom = async (client: ReturnType<typeof adatum>, engagementId: string) => {
  const page = await client.get('/v1/deals?view=inbound&limit=100');
  expect(page.status).toBe(200);
  const deal = page.body.items.find((item: { engagementId: string }) => item.engagementId === engagementId);
  expect(deal, `no inbound deal of engagement ${engagementId}`).toBeDefined();
  return deal;
};

const participants = async (dealId: string) => {
  const deal = (await fabrikam().get(`/v1/deals/${dealId}`)).body;
  return Object.fromEntries(
    deal.participants.map((p: { orgName: string; status: string }) => [p.orgName, p.status]),
  );
};

describe('collaborating on one engagement', () => {
  it('invites, accepts, upgrades to co-sell, declines and wins', async () => {
    const demo = await local.demo();
    const created = await newDeal({
      partners: [{ orgId: demo.orgIds.adatum, helpType: 'technical', notes: 'join us' }],
    });
    expect(created.status).toBe(201);
    expect(created.body.type).toBe('partner-to-partner');
    const dealId = created.body.id;
    const engagementId = created.body.engagementId;

    const invitation = await inboundFrom(adatum(), engagementId);
    expect(invitation).toMatchObject({
      status: 'received',
      direction: 'inbound',
      invitation: { fromOrgName: ORGS.fabrikam.name, helpType: 'technical', notes: 'join us' },
      notes: null,
      crmId: null,
    });
    const accepted = await adatum().post(`/v1/deals/${invitation.id}/accept`, {
      crmId: 'ADT-77',
      team: [{ name: 'Adatum Admin', email: ORGS.adatum.admin.email, phone: '+33 1' }],
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', stage: 'accepted', crmId: 'ADT-77' });
    expect(await participants(dealId)).toEqual({ [ORGS.adatum.name]: 'accepted' });

    const upgraded = await fabrikam().post(`/v1/deals/${dealId}/invitations`, {
      host: { helpType: 'architecture', notes: 'need an architect' },
      partners: [{ orgId: demo.orgIds.northwind, helpType: 'general' }],
    });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body.type).toBe('co-sell');

    const hostCopy = await inboundFrom(host(), engagementId);
    expect(hostCopy.customer.contact).toMatchObject({ email: 'ina@alpineskihouse.example' });
    expect(hostCopy.notes).toBeNull();
    expect((await host().post(`/v1/deals/${hostCopy.id}/accept`, {})).status).toBe(200);
    expect((await host().post(`/v1/deals/${hostCopy.id}/stage`, { stage: 'developed' })).body.stage).toBe(
      'developed',
    );

    const northwindCopy = await inboundFrom(northwind(), engagementId);
    const declined = await northwind().post(`/v1/deals/${northwindCopy.id}/decline`, {
      reason: 'no-capacity',
      notes: 'fully booked',
    });
    expect(declined.body).toMatchObject({ status: 'declined', declined: { reason: 'no-capacity' } });

    expect(await participants(dealId)).toEqual({
      [ORGS.adatum.name]: 'accepted',
      [ORGS.host.name]: 'accepted',
      [ORGS.northwind.name]: 'declined',
    });
    // An invitee cannot pull in more partners; the origin org could.
    const refused = await adatum().post(`/v1/deals/${invitation.id}/invitations`, {
      partners: [{ orgId: demo.orgIds.northwind, helpType: 'none' }],
    });
    expectProblem(refused, 422, 'not-engagement-origin');

    const won = await fabrikam().post(`/v1/deals/${dealId}/close`, { outcome: 'won' });
    expect(won.body.status).toBe('won');
    const hostView = (await host().get(`/v1/deals/${hostCopy.id}`)).body;
    expect(
      Object.fromEntries(
        hostView.participants.map((p: { orgName: string; status: string }) => [p.orgName, p.status]),
      ),
    ).toMatchObject({
      [ORGS.fabrikam.name]: 'won',
    });
    expectProblem(await fabrikam().patch(`/v1/deals/${dealId}`, { notes: 'late' }), 409, 'terminal-deal');
  });

  it('expires an unanswered invitation after 14 days through the scheduled job', async () => {
    const demo = await local.demo();
    const created = await newDeal({ partners: [{ orgId: demo.orgIds.adatum, helpType: 'none' }] });
    const invitation = await inboundFrom(adatum(), created.body.engagementId);

    expect((await local.api.anonymous.post('/dev/clock', { advance: 'P15D' })).status).toBe(200);
    try {
      const run = await local.api.anonymous.post('/dev/jobs/expire-invitations');
      expect(run.status).toBe(200);
      expect(JSON.stringify(run.body)).toMatch(/"expired":[1-9]/);
      expect((await adatum().get(`/v1/deals/${invitation.id}`)).body.status).toBe('expired');
      expect(await participants(created.body.id)).toEqual({ [ORGS.adatum.name]: 'expired' });
      expectProblem(await adatum().post(`/v1/deals/${invitation.id}/accept`, {}), 409, 'terminal-deal');
    } finally {
      await local.api.anonymous.delete('/dev/clock');
    }
  });
});
