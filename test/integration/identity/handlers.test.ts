import { beforeAll, describe, expect, it } from 'vitest';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import { getDeps } from '#functions/composition/deps.ts';
import { handler as acceptInvitation } from '#functions/http/identity/accept-invitation.ts';
import { handler as declineInvitation } from '#functions/http/identity/decline-invitation.ts';
import { handler as inviteUser } from '#functions/http/identity/invite-user.ts';
import { handler as listUsers } from '#functions/http/identity/list-users.ts';
import { handler as me } from '#functions/http/identity/me.ts';
import { handler as myInvitations } from '#functions/http/identity/my-invitations.ts';
import { handler as removeUser } from '#functions/http/identity/remove-user.ts';
import { handler as updateUser } from '#functions/http/identity/update-user.ts';
import { wireHandlersToTestTable } from '#test/support/api-world.ts';
import { type Invoked, invoke, seenByClient } from '#test/support/http.ts';
import { expectProblem } from '#test/support/problem.ts';

const INVITE = 'POST /v1/org/users';
const PATCH = 'PATCH /v1/org/users/{email}';
const DELETE = 'DELETE /v1/org/users/{email}';
const LIST = 'GET /v1/org/users';
const ME = 'GET /v1/me';
const INVITATIONS = 'GET /v1/me/invitations';
const ACCEPT = 'POST /v1/me/invitations/{orgId}/accept';
const DECLINE = 'POST /v1/me/invitations/{orgId}/decline';

let orgId: string;
let contosoId: string;
const CONTOSO_ADMIN = { sub: 'con-admin', email: 'admin@contoso.example' };

beforeAll(async () => {
  await wireHandlersToTestTable();
  const deps = getDeps();
  const org = await onboardOrg(deps, {
    name: 'Fabrikam',
    kind: 'partner',
    capabilities: ['solution-assessment'],
    admin: { sub: 'fab-admin', email: 'admin@fabrikam.example', name: 'Fab Admin' },
  });
  orgId = org.id;
  contosoId = (
    await onboardOrg(deps, {
      name: 'Contoso',
      kind: 'partner',
      admin: { ...CONTOSO_ADMIN, name: 'Con Admin' },
    })
  ).id;
});

const person = (
  email: string,
  roles: string[],
  locations: string[] = [],
  extra: Record<string, unknown> = {},
) => ({
  email,
  name: 'Someone',
  roles,
  locations,
  ...extra,
});

/** A token's first request: its sub, its email claim, and `email_verified` as API Gateway passes it. */
const signIn = (sub: string, email: string, verified = 'true') =>
  invoke(me, { route: ME, sub, claims: { email, email_verified: verified } });

/** The person of that token accepts the org's invitation. */
const accept = (sub: string, email: string, org: string, verified = 'true') =>
  invoke(acceptInvitation, {
    route: ACCEPT,
    sub,
    params: { orgId: org },
    claims: { email, email_verified: verified },
  });

const join = async (sub: string, email: string, roles: string[], locations: string[] = []) => {
  expect(
    (await invoke(inviteUser, { route: INVITE, sub: 'fab-admin', body: person(email, roles, locations) }))
      .status,
  ).toBe(201);
  expect((await accept(sub, email, orgId)).status).toBe(200);
};

/** Everything of an answer a client sees, except the request id. */

describe('GET /v1/me', () => {
  it('answers the caller’s user, org, roles and locations', async () => {
    const response = await invoke(me, { route: ME, sub: 'fab-admin' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: { sub: 'fab-admin', email: 'admin@fabrikam.example', name: 'Fab Admin' },
      org: { id: orgId, name: 'Fabrikam', kind: 'partner', capabilities: ['solution-assessment'] },
      roles: ['org-admin'],
      locations: [],
    });
  });

  it('answers 403 for a signed-in user of no org and 401 without a token', async () => {
    expectProblem(await invoke(me, { route: ME, sub: 'stranger' }), 403, 'not-a-member');
    expectProblem(await signIn('stranger', 'stranger@nowhere.example'), 403, 'not-a-member');
    expectProblem(await invoke(me, { route: ME }), 401, 'unauthenticated');
  });
});

describe('POST /v1/org/users and the invitee’s answer', () => {
  it('invites (201 invited, Location); signing in makes nobody a member, accepting with the verified email does', async () => {
    const invited = await invoke(inviteUser, {
      route: INVITE,
      sub: 'fab-admin',
      body: person('Sam@Fabrikam.example', ['referral-user'], ['DE', 'AT']),
    });
    expect(invited.status).toBe(201);
    expect(invited.headers.location).toBe('/v1/org/users/sam%40fabrikam.example');
    expect(invited.body).toEqual({
      email: 'sam@fabrikam.example',
      name: 'Someone',
      roles: ['referral-user'],
      locations: ['DE', 'AT'],
      status: 'invited',
      invitedAt: expect.any(String),
      joinedAt: null,
      updatedAt: expect.any(String),
    });

    expectProblem(await signIn('sam', 'SAM@fabrikam.example'), 403, 'not-a-member');
    const offers = await invoke(myInvitations, {
      route: INVITATIONS,
      sub: 'sam',
      claims: { email: 'SAM@fabrikam.example', email_verified: 'true' },
    });
    expect(offers.status).toBe(200);
    expect(offers.body).toEqual({
      items: [{ orgId, orgName: 'Fabrikam', roles: ['referral-user'], invitedAt: expect.any(String) }],
    });
    expect(
      (
        await invoke(myInvitations, {
          route: INVITATIONS,
          sub: 'sam',
          claims: { email: 'sam@fabrikam.example', email_verified: 'false' },
        })
      ).body,
    ).toEqual({ items: [] });
    expectProblem(await accept('sam', 'SAM@fabrikam.example', orgId, 'false'), 404, 'not-found');

    const joined = await accept('sam', 'SAM@fabrikam.example', orgId);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ user: { sub: 'sam' }, org: { id: orgId }, roles: ['referral-user'] });
    // From now on the sub alone is the member.
    expect((await invoke(me, { route: ME, sub: 'sam' })).status).toBe(200);
    // Another account with the same email finds no invitation left.
    expectProblem(await accept('sam-2', 'sam@fabrikam.example', orgId), 404, 'not-found');
    expectProblem(
      await invoke(acceptInvitation, { route: ACCEPT, params: { orgId } }),
      401,
      'unauthenticated',
    );
  });

  it('answers 400 with field paths for bad roles, locations, unknown fields and a referral-user without locations', async () => {
    const bad = await invoke(inviteUser, {
      route: INVITE,
      sub: 'fab-admin',
      body: person('x@fabrikam.example', [], ['de'], { sub: 'x' }),
    });
    expectProblem(bad, 400, 'validation');
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['roles', 'locations.0', 'sub']));

    const noLocation = await invoke(inviteUser, {
      route: INVITE,
      sub: 'fab-admin',
      body: person('x@fabrikam.example', ['referral-user']),
    });
    expectProblem(noLocation, 400, 'validation');
    expect(noLocation.body.errors).toEqual([{ path: 'locations', message: expect.any(String) }]);
  });

  it('answers 403 to a non-admin and 409 for an address of its own org', async () => {
    await join('ra', 'ra@fabrikam.example', ['referrals-admin']);
    expectProblem(
      await invoke(inviteUser, {
        route: INVITE,
        sub: 'ra',
        body: person('y@fabrikam.example', ['org-admin']),
      }),
      403,
      'role-required',
    );
    expectProblem(
      await invoke(inviteUser, {
        route: INVITE,
        sub: 'fab-admin',
        body: person('RA@fabrikam.example', ['org-admin']),
      }),
      409,
      'already-exists',
    );
  });

  it('answers an address of another org’s member or invitee exactly as an unused one, and captures nobody', async () => {
    await invoke(inviteUser, {
      route: INVITE,
      sub: 'con-admin',
      body: person('pending@elsewhere.example', ['referrals-admin']),
    });
    const invite = (email: string) =>
      invoke(inviteUser, { route: INVITE, sub: 'fab-admin', body: person(email, ['referrals-admin']) });
    const shape = (response: Invoked) => ({
      status: response.status,
      headerNames: Object.keys(response.headers).sort(),
      body: { ...response.body, email: '', invitedAt: '', updatedAt: '' },
    });
    const member = await invite(CONTOSO_ADMIN.email);
    const pending = await invite('pending@elsewhere.example');
    const unused = await invite('unused@elsewhere.example');
    expect(shape(member)).toEqual(shape(unused));
    expect(shape(pending)).toEqual(shape(unused));

    // Contoso's admin stays Contoso's admin: accepting Fabrikam's offer is refused.
    const contoso = await signIn(CONTOSO_ADMIN.sub, CONTOSO_ADMIN.email);
    expect(contoso.body.org.name).toBe('Contoso');
    expectProblem(await accept(CONTOSO_ADMIN.sub, CONTOSO_ADMIN.email, orgId), 409, 'already-a-member');

    const patch = (email: string) =>
      invoke(updateUser, {
        route: PATCH,
        sub: 'fab-admin',
        params: { email },
        body: { roles: ['referral-user'], locations: ['DE'] },
      });
    const remove = (email: string) =>
      invoke(removeUser, { route: DELETE, sub: 'fab-admin', params: { email } });
    // A member of Contoso (joined), an address nobody uses: the same 404 for both.
    await invoke(inviteUser, {
      route: INVITE,
      sub: 'con-admin',
      body: person('cara@contoso.example', ['referrals-admin']),
    });
    expect((await accept('cara', 'cara@contoso.example', contosoId)).body.org.name).toBe('Contoso');
    expect(seenByClient(await patch('cara@contoso.example'))).toEqual(
      seenByClient(await patch('nobody@contoso.example')),
    );
    expect(seenByClient(await remove('cara@contoso.example'))).toEqual(
      seenByClient(await remove('nobody@contoso.example')),
    );
    expectProblem(await remove('cara@contoso.example'), 404, 'not-found');
    expect((await invoke(me, { route: ME, sub: 'cara' })).body.roles).toEqual(['referrals-admin']);
  });
});

describe('POST /v1/me/invitations/{orgId}/decline', () => {
  it('leaves the invitation declined for the inviting org (204), no longer an offer', async () => {
    await invoke(inviteUser, {
      route: INVITE,
      sub: 'fab-admin',
      body: person('dee@elsewhere.example', ['referrals-admin']),
    });
    const decline = () =>
      invoke(declineInvitation, {
        route: DECLINE,
        sub: 'dee',
        params: { orgId },
        claims: { email: 'dee@elsewhere.example', email_verified: 'true' },
      });
    const declined = await decline();
    expect(declined.status).toBe(204);
    expect(declined.body).toBeUndefined();
    expectProblem(await decline(), 404, 'not-found');
    expectProblem(await accept('dee', 'dee@elsewhere.example', orgId), 404, 'not-found');
    const listed = await invoke(listUsers, { route: LIST, sub: 'fab-admin', query: { limit: '100' } });
    expect(
      listed.body.items.find((member: { email: string }) => member.email === 'dee@elsewhere.example'),
    ).toMatchObject({
      status: 'declined',
    });
  });
});

describe('PATCH /v1/org/users/{email}', () => {
  it('changes roles and locations (200), effective on the member’s next request', async () => {
    await join('pat', 'pat@fabrikam.example', ['referral-user'], ['DE']);
    const changed = await invoke(updateUser, {
      route: PATCH,
      sub: 'fab-admin',
      params: { email: 'Pat@Fabrikam.example' },
      body: { roles: ['referrals-admin'], locations: [] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      email: 'pat@fabrikam.example',
      status: 'active',
      roles: ['referrals-admin'],
    });
    expect((await invoke(me, { route: ME, sub: 'pat' })).body.roles).toEqual(['referrals-admin']);
  });

  it('answers 400 for an empty body, 403 to a non-admin and to an admin raising its own roles', async () => {
    const params = { email: 'admin@fabrikam.example' };
    expectProblem(
      await invoke(updateUser, { route: PATCH, sub: 'fab-admin', params, body: {} }),
      400,
      'validation',
    );
    expectProblem(
      await invoke(updateUser, {
        route: PATCH,
        sub: 'ra',
        params,
        body: { roles: ['referral-user'], locations: ['DE'] },
      }),
      403,
      'role-required',
    );
    expectProblem(
      await invoke(updateUser, {
        route: PATCH,
        sub: 'fab-admin',
        params,
        body: { roles: ['org-admin', 'referrals-admin'] },
      }),
      403,
      'own-roles',
    );
  });
});

describe('DELETE /v1/org/users/{email}', () => {
  it('removes a member (204) whose token is then not a member, and refuses the last admin (422)', async () => {
    await join('temp', 'temp@fabrikam.example', ['referrals-admin']);
    const removed = await invoke(removeUser, {
      route: DELETE,
      sub: 'fab-admin',
      params: { email: 'temp@fabrikam.example' },
    });
    expect(removed.status).toBe(204);
    expect(removed.body).toBeUndefined();
    expectProblem(await signIn('temp', 'temp@fabrikam.example'), 403, 'not-a-member');

    expectProblem(
      await invoke(removeUser, {
        route: DELETE,
        sub: 'fab-admin',
        params: { email: 'admin@fabrikam.example' },
      }),
      422,
      'last-admin',
    );
    expectProblem(
      await invoke(removeUser, { route: DELETE, sub: 'sam', params: { email: 'admin@fabrikam.example' } }),
      403,
      'role-required',
    );
  });
});

describe('GET /v1/org/users', () => {
  it('pages through the org’s members with their status and a cursor bound to the caller', async () => {
    for (const local of ['p1', 'p2', 'p3']) {
      await invoke(inviteUser, {
        route: INVITE,
        sub: 'fab-admin',
        body: person(`${local}@fabrikam.example`, ['referrals-admin']),
      });
    }
    const members: { email: string; status: string }[] = [];
    let cursor: string | null = null;
    let firstCursor: string | null = null;
    do {
      const response: Invoked = await invoke(listUsers, {
        route: LIST,
        sub: 'fab-admin',
        query: { limit: '2', ...(cursor ? { cursor } : {}) },
      });
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(2);
      members.push(...response.body.items);
      cursor = response.body.nextCursor;
      firstCursor ??= cursor;
    } while (cursor);
    const status = Object.fromEntries(members.map((m) => [m.email, m.status]));
    expect(status).toMatchObject({
      'admin@fabrikam.example': 'active',
      'sam@fabrikam.example': 'active',
      'p1@fabrikam.example': 'invited',
    });
    expect(status[CONTOSO_ADMIN.email]).toBe('invited'); // Fabrikam's own invitation of that address
    expect(members.map((m) => m.email)).not.toContain('cara@contoso.example');
    expect(new Set(members.map((m) => m.email)).size).toBe(members.length);

    const tampered = `${firstCursor!.slice(0, -3)}${firstCursor!.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expectProblem(
      await invoke(listUsers, { route: LIST, sub: 'fab-admin', query: { cursor: tampered } }),
      400,
      'invalid-cursor',
    );
    expectProblem(
      await invoke(listUsers, { route: LIST, sub: 'con-admin', query: { cursor: firstCursor! } }),
      400,
      'invalid-cursor',
    );
  });

  it('answers 403 to a member without org-admin and 400 for a bad limit', async () => {
    expectProblem(await invoke(listUsers, { route: LIST, sub: 'sam' }), 403, 'role-required');
    expectProblem(
      await invoke(listUsers, { route: LIST, sub: 'fab-admin', query: { limit: '0' } }),
      400,
      'validation',
    );
  });
});
