/**
 * Members join by accepting an invitation, over HTTP on the local runtime with real tokens from
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

const northwind = () => local.api.as(ORGS.northwind.admin.sub);

/** The org id of an admin's org, as `GET /v1/me` names it. */
const orgIdOf = async (admin: ReturnType<typeof fabrikam>): Promise<string> =>
  (await admin.get('/v1/me')).body.org.id;

/** An address at Fabrikam's own domain that nobody else in the run uses. */
const fabrikamAddress = (local: string) => `${local}@${ORGS.fabrikam.admin.email.split('@')[1]}`;

describe('members join by accepting an invitation', () => {
  it('invites by email; signing in makes nobody a member; accepting with that verified email does', async () => {
    const fabrikamId = await orgIdOf(fabrikam());
    const invited = await fabrikam().post(
      '/v1/org/users',
      person('Nora@Fabrikam.example', ['referral-user'], ['DE']),
    );
    expect(invited.status).toBe(201);
    expect(invited.headers.location).toBe(path('nora@fabrikam.example'));
    expect(invited.body).toMatchObject({ email: 'nora@fabrikam.example', status: 'invited', joinedAt: null });

    // Not a member by signing in, and an unverified address sees and opens nothing.
    expectProblem(await (await signedIn({ sub: 'idp|nora' })).get('/v1/me'), 403, 'not-a-member');
    const unverified = await signedIn({
      sub: 'idp|nora',
      email: 'nora@fabrikam.example',
      emailVerified: false,
    });
    expect((await unverified.get('/v1/me/invitations')).body).toEqual({ items: [] });
    expectProblem(await unverified.post(`/v1/me/invitations/${fabrikamId}/accept`), 404, 'not-found');

    const nora = await signedIn({ sub: 'idp|nora', email: 'NORA@fabrikam.example', emailVerified: true });
    expectProblem(await nora.get('/v1/me'), 403, 'not-a-member');
    expect((await nora.get('/v1/me/invitations')).body).toEqual({
      items: [
        {
          orgId: fabrikamId,
          orgName: ORGS.fabrikam.name,
          roles: ['referral-user'],
          invitedAt: expect.any(String),
        },
      ],
    });
    const accepted = await nora.post(`/v1/me/invitations/${fabrikamId}/accept`);
    expect(accepted.status).toBe(200);
    const me = await nora.get('/v1/me');
    expect(me.status).toBe(200);
    expect(accepted.body).toEqual(me.body);
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

    // Bound: a second account with the same address finds no offer; the member's own token keeps working.
    const second = await signedIn({ sub: 'idp|nora-2', email: 'nora@fabrikam.example', emailVerified: true });
    expect((await second.get('/v1/me/invitations')).body).toEqual({ items: [] });
    expectProblem(await second.post(`/v1/me/invitations/${fabrikamId}/accept`), 404, 'not-found');
    expectProblem(await second.get('/v1/me'), 403, 'not-a-member');
    // /dev/tokens fills in the member's stored email when none is given.
    expect((await local.api.as('idp|nora').get('/v1/me')).status).toBe(200);

    const changed = await fabrikam().patch(path('nora@fabrikam.example'), { locations: ['AT'] });
    expect(changed.status).toBe(200);
    expect((await nora.get('/v1/me')).body.locations).toEqual(['AT']);

    // Removed with no other offer: disabled in the pool, so the token it holds is refused.
    expect((await fabrikam().delete(path('Nora@fabrikam.example'))).status).toBe(204);
    expectProblem(await nora.get('/v1/me'), 401, 'unauthenticated');
  });

  it('emails the invited address once, from the product, naming the org and who invited, linking to /join', async () => {
    const address = fabrikamAddress(`mail-${Date.now().toString(36)}`);
    const subject = `Fabrikam Admin invited you to join ${ORGS.fabrikam.name} on Co-sell referrals`;
    expect((await fabrikam().post('/v1/org/users', person(address, ['referrals-admin']))).status).toBe(201);
    const [email, ...more] = await local.eventually(`the invitation email to ${address}`, async () => {
      const emails = (await local.emails()).filter((email) => email.destination.to.includes(address));
      return emails.length > 0 ? emails : undefined;
    });
    expect(more).toEqual([]);
    expect(email?.from).toBe('co-sell@host.example');
    expect(email?.subject).toBe(subject);
    expect(email?.body.text).toContain(`Invited by: Fabrikam Admin (${ORGS.fabrikam.admin.email})`);
    expect(email?.body.text).toContain('Roles: Referrals admin');
    expect(email?.body.text).toContain(`${local.url}/join`);
    expect(email?.body.html).toContain(`href="${local.url}/join"`);

    // Removed and invited again within the hour: a second invitation, no second email. The local
    // stream hands outbox inserts over in write order, so once a later invitation's email arrived,
    // a second email to this address would have arrived too.
    expect((await fabrikam().delete(path(address))).status).toBe(204);
    expect((await fabrikam().post('/v1/org/users', person(address, ['referrals-admin']))).status).toBe(201);
    const witness = fabrikamAddress(`witness-${Date.now().toString(36)}`);
    expect((await fabrikam().post('/v1/org/users', person(witness, ['referral-user'], ['DE']))).status).toBe(
      201,
    );
    await local.eventually(`the invitation email to ${witness}`, async () =>
      (await local.emails()).some((email) => email.destination.to.includes(witness)) ? true : undefined,
    );
    expect((await local.emails()).filter((email) => email.destination.to.includes(address))).toHaveLength(1);
  });

  it('counts an invited admin among the org’s admins once she accepted', async () => {
    const fabrikamId = await orgIdOf(fabrikam());
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
    expect((await ada.post(`/v1/me/invitations/${fabrikamId}/accept`)).body.roles).toEqual(['org-admin']);
    // Two active admins now: one may go. Had accepting not counted her, she would be the last.
    expect((await fabrikam().delete(path('ada.admin@fabrikam.example'))).status).toBe(204);
    expectProblem(await ada.get('/v1/me'), 401, 'unauthenticated');
  });

  it('lets a person invited by two orgs choose one, and decline the other, which its admins then see', async () => {
    const [fabrikamId, northwindId] = [await orgIdOf(fabrikam()), await orgIdOf(northwind())];
    const email = fabrikamAddress('chooser');
    expect((await fabrikam().post('/v1/org/users', person(email, ['referrals-admin']))).status).toBe(201);
    expect((await northwind().post('/v1/org/users', person(email, ['org-admin']))).status).toBe(201);

    const chooser = await signedIn({ sub: 'idp|chooser', email, emailVerified: true });
    const offers = (await chooser.get('/v1/me/invitations')).body.items;
    expect(
      offers.map((offer: { orgId: string; roles: string[] }) => [offer.orgId, offer.roles]).sort(),
    ).toEqual(
      [
        [fabrikamId, ['referrals-admin']],
        [northwindId, ['org-admin']],
      ].sort(),
    );
    // The later invitation wins here because the person chose it, not because of its age.
    expect((await chooser.post(`/v1/me/invitations/${northwindId}/accept`)).body.org.id).toBe(northwindId);
    expect((await chooser.post(`/v1/me/invitations/${fabrikamId}/decline`)).status).toBe(204);
    expect((await chooser.get('/v1/me/invitations')).body).toEqual({ items: [] });
    const fabrikamUsers = await fabrikam().get('/v1/org/users?limit=100');
    expect(fabrikamUsers.body.items.find((u: { email: string }) => u.email === email)?.status).toBe(
      'declined',
    );
    expectProblem(await chooser.post(`/v1/me/invitations/${fabrikamId}/decline`), 404, 'not-found');
  });

  it('never lets an org capture a person: Northwind inviting Fabrikam’s new hire first decides nothing', async () => {
    const [fabrikamId, northwindId] = [await orgIdOf(fabrikam()), await orgIdOf(northwind())];
    const newhire = fabrikamAddress('newhire');
    expect((await northwind().post('/v1/org/users', person(newhire, ['referrals-admin']))).status).toBe(201);
    expect((await fabrikam().post('/v1/org/users', person(newhire, ['referral-user'], ['DE']))).status).toBe(
      201,
    );

    // Signing in makes them nobody's member, and neither org's list says otherwise.
    const hire = await signedIn({ sub: 'idp|newhire', email: newhire, emailVerified: true });
    expectProblem(await hire.get('/v1/me'), 403, 'not-a-member');
    for (const admin of [fabrikam(), northwind()]) {
      const users = await admin.get('/v1/org/users?limit=100');
      expect(users.body.items.find((u: { email: string }) => u.email === newhire)?.status).toBe('invited');
    }

    const joined = await hire.post(`/v1/me/invitations/${fabrikamId}/accept`);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ org: { id: fabrikamId }, roles: ['referral-user'] });
    // Northwind's offer remains, declinable; accepting it too is refused: one org per person.
    expect(
      (await hire.get('/v1/me/invitations')).body.items.map((offer: { orgId: string }) => offer.orgId),
    ).toEqual([northwindId]);
    expectProblem(await hire.post(`/v1/me/invitations/${northwindId}/accept`), 409, 'already-a-member');
    expect((await hire.get('/v1/me')).body.org.id).toBe(fabrikamId);
    expect((await hire.post(`/v1/me/invitations/${northwindId}/decline`)).status).toBe(204);
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

    // The Adatum seller signing in stays Adatum's seller, with its roles, and cannot accept Fabrikam too.
    const seller = await signedIn({ sub: adatumSeller.sub, email: adatumSeller.email, emailVerified: true });
    expect((await seller.get('/v1/me')).body).toMatchObject({
      org: { name: ORGS.adatum.name },
      roles: ['referral-user'],
    });
    expectProblem(
      await seller.post(`/v1/me/invitations/${await orgIdOf(fabrikam())}/accept`),
      409,
      'already-a-member',
    );
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
  it('gives each invited address a user in the pool, and a removed member’s token stops at once', async () => {
    const fabrikamId = await orgIdOf(fabrikam());
    const email = fabrikamAddress('leaver');
    expectProblem(await local.api.anonymous.get(`/dev/users/${encodeURIComponent(email)}`), 404, 'not-found');
    expect((await fabrikam().post('/v1/org/users', person(email, ['referrals-admin']))).status).toBe(201);
    const user = await local.api.anonymous.get(`/dev/users/${encodeURIComponent(email)}`);
    expect(user.body).toMatchObject({
      username: email,
      enabled: true,
      status: 'FORCE_CHANGE_PASSWORD',
      attributes: { email, email_verified: 'true', name: 'New Person' },
    });

    const leaver = await signedIn({ sub: 'idp|leaver', email, emailVerified: true });
    expect((await leaver.post(`/v1/me/invitations/${fabrikamId}/accept`)).status).toBe(200);
    expect((await leaver.get('/v1/me')).status).toBe(200);
    expect((await fabrikam().delete(path(email))).status).toBe(204);

    // No org offers the person a place: signed out and disabled, so the token it holds is refused.
    expectProblem(await leaver.get('/v1/me'), 401, 'unauthenticated');
    expect((await local.api.anonymous.get(`/dev/users/${encodeURIComponent(email)}`)).body).toMatchObject({
      enabled: false,
      signedOutAt: expect.any(String),
    });
    expectProblem(
      await local.api.anonymous.post('/dev/tokens', { sub: 'idp|leaver', email, emailVerified: true }),
      403,
      'user-disabled',
    );

    // A new invitation lets the person sign in again to accept it.
    expect((await northwind().post('/v1/org/users', person(email, ['referrals-admin']))).status).toBe(201);
    const again = await signedIn({ sub: 'idp|leaver', email, emailVerified: true });
    expect((await again.get('/v1/me/invitations')).body.items).toHaveLength(1);
  });

  it('keeps a removed member able to sign in while another org’s invitation waits for it', async () => {
    const fabrikamId = await orgIdOf(fabrikam());
    const email = fabrikamAddress('mover');
    expect((await fabrikam().post('/v1/org/users', person(email, ['referrals-admin']))).status).toBe(201);
    const mover = await signedIn({ sub: 'idp|mover', email, emailVerified: true });
    expect((await mover.post(`/v1/me/invitations/${fabrikamId}/accept`)).status).toBe(200);
    expect((await northwind().post('/v1/org/users', person(email, ['referrals-admin']))).status).toBe(201);
    expect((await fabrikam().delete(path(email))).status).toBe(204);

    // Fabrikam's membership ended on the very next request; Northwind's offer can still be taken.
    expectProblem(await mover.get('/v1/me'), 403, 'not-a-member');
    expect((await local.api.anonymous.get(`/dev/users/${encodeURIComponent(email)}`)).body).toMatchObject({
      enabled: true,
      signedOutAt: expect.any(String),
    });
    expect((await mover.get('/v1/me/invitations')).body.items).toHaveLength(1);
  });

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
