import { beforeAll, describe, expect, it } from 'vitest';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import { getDeps } from '#functions/composition.ts';
import { handler as listUsers } from '#functions/http/identity/list-users.ts';
import { handler as me } from '#functions/http/identity/me.ts';
import { handler as putUser } from '#functions/http/identity/put-user.ts';
import { handler as removeUser } from '#functions/http/identity/remove-user.ts';
import { wireHandlersToTestTable } from '#test/support/api-world.ts';
import { expectProblem, type Invoked, invoke } from '#test/support/http.ts';

const PUT = 'PUT /v1/org/users/{sub}';
const DELETE = 'DELETE /v1/org/users/{sub}';
const LIST = 'GET /v1/org/users';

let orgId: string;
let otherOrgAdmin: string;

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
  await onboardOrg(deps, {
    name: 'Contoso',
    kind: 'partner',
    admin: { sub: 'con-admin', email: 'admin@contoso.example', name: 'Con Admin' },
  });
  otherOrgAdmin = 'con-admin';
});

const user = (roles: string[], locations: string[] = [], extra: Record<string, unknown> = {}) => ({
  email: 'someone@fabrikam.example',
  name: 'Someone',
  roles,
  locations,
  ...extra,
});

describe('GET /v1/me', () => {
  it('answers the caller’s user, org, roles and locations', async () => {
    const response = await invoke(me, { route: 'GET /v1/me', sub: 'fab-admin' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: { sub: 'fab-admin', email: 'admin@fabrikam.example', name: 'Fab Admin' },
      org: { id: orgId, name: 'Fabrikam', kind: 'partner', capabilities: ['solution-assessment'] },
      roles: ['org-admin'],
      locations: [],
    });
  });

  it('answers 403 for a signed-in user of no org and 401 without a token', async () => {
    expectProblem(await invoke(me, { route: 'GET /v1/me', sub: 'stranger' }), 403, 'not-a-member');
    expectProblem(await invoke(me, { route: 'GET /v1/me' }), 401, 'unauthenticated');
  });
});

describe('PUT /v1/org/users/{sub}', () => {
  it('adds a member (200) who can then call /v1/me', async () => {
    const response = await invoke(putUser, {
      route: PUT,
      sub: 'fab-admin',
      params: { sub: 'sam' },
      body: user(['referral-user'], ['DE', 'AT']),
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ sub: 'sam', roles: ['referral-user'], locations: ['DE', 'AT'] });
    const meResponse = await invoke(me, { route: 'GET /v1/me', sub: 'sam' });
    expect(meResponse.body).toMatchObject({
      org: { id: orgId },
      roles: ['referral-user'],
      locations: ['DE', 'AT'],
    });
  });

  it('answers 400 with field paths for bad roles, locations, unknown fields and a referral-user without locations', async () => {
    const bad = await invoke(putUser, {
      route: PUT,
      sub: 'fab-admin',
      params: { sub: 'x' },
      body: user([], ['de'], { admin: true }),
    });
    expectProblem(bad, 400, 'validation');
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['roles', 'locations.0', 'admin']));
    expect(bad.body.errors.length).toBeGreaterThanOrEqual(3);

    const noLocation = await invoke(putUser, {
      route: PUT,
      sub: 'fab-admin',
      params: { sub: 'x' },
      body: user(['referral-user']),
    });
    expectProblem(noLocation, 400, 'validation');
    expect(noLocation.body.errors).toEqual([{ path: 'locations', message: expect.any(String) }]);

    const unassigned = await invoke(putUser, {
      route: PUT,
      sub: 'fab-admin',
      params: { sub: 'x' },
      body: user(['referral-user'], ['XX']),
    });
    expectProblem(unassigned, 400, 'validation');
    expect(unassigned.body.errors[0].path).toBe('locations.0');
  });

  it('answers 403 to a non-admin and to an admin raising its own roles', async () => {
    await invoke(putUser, {
      route: PUT,
      sub: 'fab-admin',
      params: { sub: 'ra' },
      body: user(['referrals-admin']),
    });
    expectProblem(
      await invoke(putUser, { route: PUT, sub: 'ra', params: { sub: 'ra' }, body: user(['org-admin']) }),
      403,
      'role-required',
    );
    expectProblem(
      await invoke(putUser, {
        route: PUT,
        sub: 'fab-admin',
        params: { sub: 'fab-admin' },
        body: user(['org-admin', 'referrals-admin'], [], { email: 'admin@fabrikam.example' }),
      }),
      403,
      'own-roles',
    );
  });

  it('answers 409 for a sub of another org', async () => {
    expectProblem(
      await invoke(putUser, {
        route: PUT,
        sub: 'fab-admin',
        params: { sub: otherOrgAdmin },
        body: user(['referrals-admin']),
      }),
      409,
      'already-exists',
    );
    const stillThere = await invoke(me, { route: 'GET /v1/me', sub: otherOrgAdmin });
    expect(stillThere.body.org.name).toBe('Contoso');
  });
});

describe('DELETE /v1/org/users/{sub}', () => {
  it('removes a member (204), answers 404 for another org’s sub and 422 for the last admin', async () => {
    await invoke(putUser, {
      route: PUT,
      sub: 'fab-admin',
      params: { sub: 'temp' },
      body: user(['referrals-admin']),
    });
    const removed = await invoke(removeUser, { route: DELETE, sub: 'fab-admin', params: { sub: 'temp' } });
    expect(removed.status).toBe(204);
    expect(removed.body).toBeUndefined();
    expectProblem(await invoke(me, { route: 'GET /v1/me', sub: 'temp' }), 403, 'not-a-member');

    expectProblem(
      await invoke(removeUser, { route: DELETE, sub: 'fab-admin', params: { sub: otherOrgAdmin } }),
      404,
      'not-found',
    );
    expectProblem(
      await invoke(removeUser, { route: DELETE, sub: 'fab-admin', params: { sub: 'fab-admin' } }),
      422,
      'last-admin',
    );
    expectProblem(
      await invoke(removeUser, { route: DELETE, sub: 'sam', params: { sub: 'fab-admin' } }),
      403,
      'role-required',
    );
  });
});

describe('GET /v1/org/users', () => {
  it('pages through the org’s members with a cursor bound to the caller', async () => {
    for (const sub of ['p1', 'p2', 'p3']) {
      await invoke(putUser, {
        route: PUT,
        sub: 'fab-admin',
        params: { sub },
        body: user(['referrals-admin']),
      });
    }
    const subs: string[] = [];
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
      subs.push(...response.body.items.map((item: { sub: string }) => item.sub));
      cursor = response.body.nextCursor;
      firstCursor ??= cursor;
    } while (cursor);
    expect(subs).toEqual(expect.arrayContaining(['fab-admin', 'sam', 'ra', 'p1', 'p2', 'p3']));
    expect(subs).not.toContain(otherOrgAdmin);
    expect(new Set(subs).size).toBe(subs.length);

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
