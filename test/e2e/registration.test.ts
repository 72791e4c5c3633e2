/**
 * The registration walk over HTTP: a co-sell deal with an incentive-eligible host solution,
 * the host accepts, the partner wins and registers, the host asks for action, then approves; the
 * partner's deal ends closed and immutable. Partner search, recent contacts and the report ride along.
 */
import { describe, expect, it } from 'vitest';
import { fabrikamDealBody, useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;
const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);
const host = () => local.api.as(ORGS.host.seller.sub);

describe('registering a won co-sell deal', () => {
  it('goes from won to closed through the host review', async () => {
    const demo = await local.demo();
    const created = await fabrikam().post(
      '/v1/deals',
      fabrikamDealBody(demo, {
        name: 'Alpine lakehouse',
        value: { amount: 90000, currency: 'EUR' },
        closeDate: '2030-03-31',
        invite: { host: { helpType: 'pricing', notes: 'pricing help please' } },
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body.registration).toEqual({
      eligible: false,
      unmet: ['host-not-engaged', 'not-won'],
      status: 'none',
      messages: [],
      submission: null,
    });
    const dealId = created.body.id;

    const inbound = await host().get('/v1/deals?view=inbound&status=received&limit=100');
    const hostDeal = inbound.body.items.find(
      (d: { engagementId: string }) => d.engagementId === created.body.engagementId,
    );
    expect((await host().post(`/v1/deals/${hostDeal.id}/accept`, {})).status).toBe(200);

    expectProblem(await fabrikam().post(`/v1/deals/${dealId}/registration`, { contractSigned: true }), 409);
    expect((await fabrikam().post(`/v1/deals/${dealId}/close`, { outcome: 'won' })).status).toBe(200);
    expect((await fabrikam().get(`/v1/deals/${dealId}`)).body.registration).toMatchObject({
      eligible: true,
      unmet: [],
    });
    expectProblem(await fabrikam().post(`/v1/deals/${dealId}/registration`, { contractSigned: false }), 400);
    const submitted = await fabrikam().post(`/v1/deals/${dealId}/registration`, {
      contractSigned: true,
      notes: 'PO 4711',
    });
    expect(submitted.body.registration.status).toBe('submitted');

    const review = (body: unknown) => host().post(`/v1/deals/${hostDeal.id}/registration/review`, body);
    expectProblem(
      await fabrikam().post(`/v1/deals/${dealId}/registration/review`, {
        orgId: demo.orgIds.fabrikam,
        decision: 'approved',
      }),
      403,
    );
    const asked = await review({
      orgId: demo.orgIds.fabrikam,
      decision: 'action-required',
      message: 'Attach the PO',
    });
    expect(asked.status).toBe(200);
    expect(asked.body.registrations).toEqual([
      expect.objectContaining({
        orgName: ORGS.fabrikam.name,
        status: 'action-required',
        messages: [expect.objectContaining({ decision: 'action-required', text: 'Attach the PO' })],
      }),
    ]);
    // The partner reads the message and what it submitted, to submit again from it.
    expect((await fabrikam().get(`/v1/deals/${dealId}`)).body.registration).toMatchObject({
      status: 'action-required',
      messages: [{ decision: 'action-required', text: 'Attach the PO' }],
      submission: { notes: 'PO 4711', attachments: [] },
    });
    expect((await fabrikam().post(`/v1/deals/${dealId}/registration`, { contractSigned: true })).status).toBe(
      200,
    );
    const approved = await review({ orgId: demo.orgIds.fabrikam, decision: 'approved' });
    expect(approved.body.registrations[0].status).toBe('approved');

    const closed = (await fabrikam().get(`/v1/deals/${dealId}`)).body;
    expect(closed).toMatchObject({ status: 'closed', registration: { status: 'approved' } });
    expectProblem(await fabrikam().patch(`/v1/deals/${dealId}`, { notes: 'after' }), 409, 'terminal-deal');
    expectProblem(
      await fabrikam().post(`/v1/deals/${dealId}/stage`, { stage: 'qualified' }),
      409,
      'terminal-deal',
    );
    expect((await fabrikam().put(`/v1/deals/${dealId}/favorite`)).status).toBe(204);

    const history = await fabrikam().get(`/v1/deals/${dealId}/history?limit=3`);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual([
      'registration-approved',
      'registration-submitted',
      'registration-action-required',
    ]);
  });

  it('serves partner search, recent contacts and the pipeline report', async () => {
    // By a prefix only this file's Northwind has (other files' orgs share the runtime).
    const search = await fabrikam().get(
      `/v1/partners?q=${encodeURIComponent(ORGS.northwind.name.toLowerCase())}`,
    );
    expect(search.status).toBe(200);
    expect(search.body.items.map((p: { name: string }) => p.name)).toEqual([ORGS.northwind.name]);
    const contacts = await fabrikam().get('/v1/contacts/recent');
    expect(contacts.body.items).toContainEqual(expect.objectContaining({ email: ORGS.fabrikam.admin.email }));
    const report = await fabrikam().get('/v1/reports/pipeline');
    expect(report.status).toBe(200);
    expect(report.body.byStatus.closed.count).toBeGreaterThanOrEqual(1);
  });
});
