/**
 * Deal owners over HTTP on the local runtime with real tokens: who owns a new deal, who may be made
 * its owner and by whom, the owner lists (`owner=me|<email>|none`), the new owner's email and event,
 * and a removed member, who never owns anything.
 */
import { describe, expect, it } from 'vitest';
import { fabrikamDealBody, useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;

const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);
const northwind = () => local.api.as(ORGS.northwind.admin.sub);
const domain = ORGS.fabrikam.admin.email.split('@')[1];
const address = (name: string) => `${name}@${domain}`;
const phone = '+49 30 1';

/** A person invited to Fabrikam who signs in with that verified address and accepts. */
const joined = async (name: string, roles: string[], locations: string[] = []) => {
  const email = address(name);
  expect((await fabrikam().post('/v1/org/users', { email, name, roles, locations })).status).toBe(201);
  const orgId = (await fabrikam().get('/v1/me')).body.org.id;
  const issued = await local.api.anonymous.post('/dev/tokens', {
    sub: `idp|${name}`,
    email,
    emailVerified: true,
  });
  const person = local.api.withToken(issued.body.token);
  expect((await person.post(`/v1/me/invitations/${orgId}/accept`)).status).toBe(200);
  return { email, name, api: person };
};

const ids = (response: { body: { items: { id: string }[] } }) => response.body.items.map((item) => item.id);

describe('deal owners', () => {
  it('owns what one creates; admins and the owner hand it on to eligible members only', async () => {
    const demo = await local.demo();
    const olga = await joined('owner-olga', ['referral-user'], ['DE']);
    await fabrikam().post('/v1/org/users', {
      email: address('owner-pending'),
      name: 'Pending',
      roles: ['org-admin'],
      locations: [],
    });
    const name = 'Owner journey platform';
    const created = await fabrikam().post(
      '/v1/deals',
      fabrikamDealBody(demo, {
        name,
        team: [
          { name: 'Fabrikam Admin', email: ORGS.fabrikam.admin.email, phone },
          { name: olga.name, email: olga.email, phone },
        ],
      }),
    );
    expect(created.status).toBe(201);
    const dealId = created.body.id;
    expect(created.body.owner).toEqual({ email: ORGS.fabrikam.admin.email, name: expect.any(String) });
    expect(created.body.actions).toContain('assign-owner');

    const candidates = await fabrikam().get(`/v1/deals/${dealId}/owner-candidates`);
    expect(candidates.status).toBe(200);
    const eligible = candidates.body.items.map((item: { email: string }) => item.email);
    expect(eligible).toContain(olga.email);
    expect(eligible).not.toContain(address('owner-pending'));

    for (const email of [address('owner-pending'), ORGS.northwind.admin.email, address('owner-nobody')]) {
      expectProblem(await fabrikam().put(`/v1/deals/${dealId}/owner`, { email }), 422, 'not-eligible-owner');
    }
    expectProblem(await fabrikam().put(`/v1/deals/${dealId}/owner`, { email: 'not an address' }), 400);
    // Another org's deal does not exist for its caller.
    expectProblem(
      await northwind().put(`/v1/deals/${dealId}/owner`, { email: ORGS.northwind.admin.email }),
      404,
    );
    expectProblem(await northwind().delete(`/v1/deals/${dealId}/owner`), 404);
    // A referral-user who does not own the deal may not change its owner.
    expectProblem(await olga.api.put(`/v1/deals/${dealId}/owner`, { email: olga.email }), 403);

    const assigned = await fabrikam().put(
      `/v1/deals/${dealId}/owner`,
      { email: olga.email.toUpperCase() },
      { 'if-match': created.headers.etag ?? '' },
    );
    expect(assigned.status).toBe(200);
    expect(assigned.body.owner).toEqual({ email: olga.email, name: olga.name });
    const history = await fabrikam().get(`/v1/deals/${dealId}/history`);
    expect(history.body.items[0]).toMatchObject({ action: 'owner-changed' });

    const email = await local.eventually(`the owner email to ${olga.email}`, async () =>
      (await local.emails()).find(
        (candidate) =>
          candidate.subject === `You now own the deal ${name}` &&
          candidate.destination.to.includes(olga.email),
      ),
    );
    expect(email.body.text).toContain(`/deals/${dealId}`);
    await local.eventually('deal.owner-changed on the bus', async () =>
      (await local.events()).find(
        (event) => event.detailType === 'deal.owner-changed' && event.detail.dealId === dealId,
      ),
    );

    // The owner hands it back.
    const handed = await olga.api.put(`/v1/deals/${dealId}/owner`, { email: ORGS.fabrikam.admin.email });
    expect(handed.status).toBe(200);
    expect(handed.body.owner.email).toBe(ORGS.fabrikam.admin.email);
  });

  it("lists my deals, a member's deals and deals nobody owns", async () => {
    const demo = await local.demo();
    const paula = await joined('owner-paula', ['referral-user'], ['DE']);
    const team = [{ name: paula.name, email: paula.email, phone }];
    const hers = await paula.api.post('/v1/deals', fabrikamDealBody(demo, { name: 'Owner list hers', team }));
    expect(hers.status).toBe(201);
    const nobodys = await fabrikam().post('/v1/deals', fabrikamDealBody(demo, { name: 'Owner list nobody' }));
    const left = await fabrikam().delete(`/v1/deals/${nobodys.body.id}/owner`);
    expect(left.status).toBe(200);
    expect(left.body.owner).toBeNull();

    expect(ids(await paula.api.get('/v1/deals?owner=me'))).toEqual([hers.body.id]);
    expect(ids(await fabrikam().get(`/v1/deals?owner=${encodeURIComponent(paula.email)}`))).toEqual([
      hers.body.id,
    ]);
    const none = ids(await fabrikam().get('/v1/deals?owner=none&limit=100'));
    expect(none).toContain(nobodys.body.id);
    expect(none).not.toContain(hers.body.id);
    const mine = ids(await fabrikam().get('/v1/deals?owner=me&limit=100'));
    expect(mine).not.toContain(nobodys.body.id);
    expectProblem(await fabrikam().get('/v1/deals?owner=someone'), 400);
  });

  it('never shows a removed member as owner: its deals are unowned from the moment of removal', async () => {
    const demo = await local.demo();
    const otto = await joined('owner-otto', ['org-admin']);
    const deal = await otto.api.post('/v1/deals', fabrikamDealBody(demo, { name: 'Owner removed' }));
    expect(deal.body.owner.email).toBe(otto.email);

    expect((await fabrikam().delete(`/v1/org/users/${encodeURIComponent(otto.email)}`)).status).toBe(204);
    const read = await fabrikam().get(`/v1/deals/${deal.body.id}`);
    expect(read.body.owner).toBeNull();
    expect(ids(await fabrikam().get(`/v1/deals?owner=${encodeURIComponent(otto.email)}`))).toEqual([]);
    expect(ids(await fabrikam().get('/v1/deals?owner=none&limit=100'))).toContain(deal.body.id);
    expectProblem(
      await fabrikam().put(`/v1/deals/${deal.body.id}/owner`, { email: otto.email }),
      422,
      'not-eligible-owner',
    );
  });
});
