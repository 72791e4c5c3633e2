/**
 * Members join by their own sign-in, over HTTP on the local runtime with real tokens from
 * `POST /dev/tokens`; and an Idempotency-Key opens nothing its holder could not reach without it.
 */
import { describe, expect, it } from 'vitest';
import { type ApiResponse, useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;

const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);

/** A client whose token says exactly this about its holder, as an identity provider would. */
const signedIn = async (claims: { sub: string; email?: string; emailVerified?: boolean }) => {
  const issued = await local.api.anonymous.post('/dev/tokens', claims);
  expect(issued.status).toBe(200);
  return local.api.withToken(issued.body.token);
};

const person = (email: string, roles: string[], locations: string[] = []) => ({
  email,
  name: 'New Person',
  roles,
  locations,
});

const path = (email: string) => `/v1/org/users/${encodeURIComponent(email)}`;

/** Everything a client sees of an answer except what differs per request (its id, the address). */
const seen = (response: ApiResponse) => ({
  status: response.status,
  contentType: response.headers['content-type'],
  body: {
    ...response.body,
    instance: undefined,
    email: undefined,
    invitedAt: undefined,
    updatedAt: undefined,
  },
});

describe('members join by their own sign-in', () => {
  it('invites by email; the invitee’s first sign-in with that verified email makes it an active member', async () => {
    const invited = await fabrikam().post(
      '/v1/org/users',
      person('Nora@Fabrikam.example', ['referral-user'], ['DE']),
    );
    expect(invited.status).toBe(201);
    expect(invited.headers.location).toBe(path('nora@fabrikam.example'));
    expect(invited.body).toMatchObject({ email: 'nora@fabrikam.example', status: 'invited', joinedAt: null });

    // Not yet a member, and an unverified address proves nothing.
    expectProblem(await (await signedIn({ sub: 'idp|nora' })).get('/v1/me'), 403, 'not-a-member');
    const unverified = await signedIn({
      sub: 'idp|nora',
      email: 'nora@fabrikam.example',
      emailVerified: false,
    });
    expectProblem(await unverified.get('/v1/me'), 403, 'not-a-member');

    const nora = await signedIn({ sub: 'idp|nora', email: 'NORA@fabrikam.example', emailVerified: true });
    const me = await nora.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { sub: 'idp|nora', email: 'nora@fabrikam.example' },
      org: { name: ORGS.fabrikam.name },
      roles: ['referral-user'],
      locations: ['DE'],
    });
    const users = await fabrikam().get('/v1/org/users?limit=100');
    expect(
      users.body.items.find((u: { email: string }) => u.email === 'nora@fabrikam.example'),
    ).toMatchObject({
      status: 'active',
      joinedAt: expect.any(String),
    });

    // Bound: a second account with the same address stays outside; the member's own token keeps working.
    expectProblem(
      await (await signedIn({ sub: 'idp|nora-2', email: 'nora@fabrikam.example' })).get('/v1/me'),
      403,
      'not-a-member',
    );
    // /dev/tokens fills in the member's stored email when none is given.
    expect((await local.api.as('idp|nora').get('/v1/me')).status).toBe(200);

    const changed = await fabrikam().patch(path('nora@fabrikam.example'), { locations: ['AT'] });
    expect(changed.status).toBe(200);
    expect((await nora.get('/v1/me')).body.locations).toEqual(['AT']);

    expect((await fabrikam().delete(path('Nora@fabrikam.example'))).status).toBe(204);
    expectProblem(await nora.get('/v1/me'), 403, 'not-a-member');
  });

  it('counts an invited admin among the org’s admins from their first sign-in', async () => {
    const invited = await fabrikam().post(
      '/v1/org/users',
      person('Ada.Admin@Fabrikam.example', ['org-admin']),
    );
    expect(invited.status).toBe(201);
    const ada = await signedIn({
      sub: 'idp|ada-admin',
      email: 'ada.admin@fabrikam.example',
      emailVerified: true,
    });
    expect((await ada.get('/v1/me')).body.roles).toEqual(['org-admin']);
    // Two active admins now: one may go. Had the sign-in not counted her, she would be the last.
    expect((await fabrikam().delete(path('ada.admin@fabrikam.example'))).status).toBe(204);
    expectProblem(await ada.get('/v1/me'), 403, 'not-a-member');
  });

  it('answers another org’s member exactly like an address nobody uses, and captures nobody', async () => {
    const adatumSeller = ORGS.adatum.seller;
    const unused = 'nobody-at-all@adatum.example';
    // Inviting: the same 201 "invited" for both.
    const inviteMember = await fabrikam().post('/v1/org/users', person(adatumSeller.email, ['org-admin']));
    const inviteUnused = await fabrikam().post('/v1/org/users', person(unused, ['org-admin']));
    expect(seen(inviteMember)).toEqual(seen(inviteUnused));
    expect(inviteMember.status).toBe(201);

    // Changing or removing a member Fabrikam did not invite: the same 404 for both.
    const adatumReferrals = ORGS.adatum.referrals.email;
    const other = 'nobody-else@adatum.example';
    const change = { roles: ['org-admin'] };
    expect(seen(await fabrikam().patch(path(adatumReferrals), change))).toEqual(
      seen(await fabrikam().patch(path(other), change)),
    );
    const removeMember = await fabrikam().delete(path(adatumReferrals));
    expect(seen(removeMember)).toEqual(seen(await fabrikam().delete(path(other))));
    expectProblem(removeMember, 404, 'not-found');

    // The Adatum seller signing in stays Adatum's seller, with its roles.
    const seller = await signedIn({ sub: adatumSeller.sub, email: adatumSeller.email });
    expect((await seller.get('/v1/me')).body).toMatchObject({
      org: { name: ORGS.adatum.name },
      roles: ['referral-user'],
    });
    expect((await local.api.as(ORGS.adatum.referrals.sub).get('/v1/me')).body.org.name).toBe(
      ORGS.adatum.name,
    );
    const invitations = await fabrikam().get('/v1/org/users?limit=100');
    expect(
      invitations.body.items.find((u: { email: string }) => u.email === adatumSeller.email)?.status,
    ).toBe('invited');
  });
});

describe('Idempotency-Key and authorization over HTTP', () => {
  it('gives a referral-user who cannot see a deal the same 404 with an admin’s key as without it', async () => {
    const demo = await local.demo();
    const created = await fabrikam().post('/v1/deals', {
      customer: { id: demo.customers['Coho Winery'] },
      name: 'Coho replay probe',
      location: 'FR',
      value: { amount: 1000, currency: 'EUR' },
      closeDate: '2030-06-30',
      team: [{ name: 'Fabrikam Admin', email: ORGS.fabrikam.admin.email, phone: '+49 30 1' }],
      solutions: [demo.solutions['Contoso Data Platform']],
    });
    expect(created.status).toBe(201);
    const key = { 'idempotency-key': `CRM-${created.body.id}` };
    const stage = (client: ReturnType<typeof fabrikam>, headers?: Record<string, string>) =>
      client.post(`/v1/deals/${created.body.id}/stage`, { stage: 'qualified' }, headers);

    expect((await stage(fabrikam(), key)).status).toBe(200);
    const seller = local.api.as(ORGS.fabrikam.seller.sub); // DE and AT only
    const without = await stage(seller);
    const withKey = await stage(seller, key);
    expectProblem(withKey, 404, 'not-found');
    expect(seen(withKey)).toEqual(seen(without));
    expect(withKey.headers['idempotent-replayed']).toBeUndefined();
  });
});
