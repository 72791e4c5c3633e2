import { describe, expect, it } from 'vitest';
import {
  adminCountChange,
  inviteMember,
  listMembers,
  removeMember,
  updateMember,
} from '#domain/identity/members.ts';
import type { Membership } from '#domain/identity/model.ts';
import {
  BusinessRuleError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '#domain/kernel/errors.ts';
import { addMember } from '#test/support/members.ts';
import { world } from './world.ts';

type Roles = ('org-admin' | 'referrals-admin' | 'referral-user')[];

const person = (sub: string, roles: Roles, locations: string[] = []) => ({
  sub,
  email: `${sub}@fabrikam.example`,
  name: `Name ${sub}`,
  roles,
  locations,
});

const invitee = (local: string, roles: Roles, locations: string[] = []) => {
  const { sub: _sub, ...rest } = person(local, roles, locations);
  return rest;
};

const fieldPaths = async (promise: Promise<unknown>) => {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors.map((e) => e.path).sort();
};

describe('inviteMember', () => {
  it('records an invitation of the address (lower-cased), not a member: nobody signed in yet', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const invited = await inviteMember(w, admin, {
      ...invitee('sam', ['referral-user'], ['DE', 'FR', 'DE']),
      email: ' Sam@Fabrikam.Example ',
    });
    expect(invited).toEqual({
      email: 'sam@fabrikam.example',
      orgId: admin.orgId,
      name: 'Name sam',
      roles: ['referral-user'],
      locations: ['DE', 'FR'],
      status: 'invited',
      invitedAt: '2026-11-01T09:00:00.000Z',
      updatedAt: '2026-11-01T09:00:00.000Z',
      version: 1,
    });
    expect(await w.memberships.get(admin.orgId, 'sam@fabrikam.example')).toEqual(invited);
  });

  it('is only for org-admins (403)', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const ra = await addMember(w, admin, person('ra', ['referrals-admin']));
    await expect(inviteMember(w, ra, invitee('x', ['referral-user'], ['DE']))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('needs a valid email, at least one role and valid ISO alpha-2 locations', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    expect(await fieldPaths(inviteMember(w, admin, invitee('x', [], ['DE'])))).toEqual(['roles']);
    expect(
      await fieldPaths(inviteMember(w, admin, { ...invitee('x', ['referrals-admin'], ['XX']), email: 'no' })),
    ).toEqual(['email', 'locations.0']);
  });

  it('needs at least one location for a referral-user', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    expect(await fieldPaths(inviteMember(w, admin, invitee('x', ['referral-user'], [])))).toEqual([
      'locations',
    ]);
  });

  it('refuses an address its own org already invited or has as a member, whatever the case (409)', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, invitee('sam', ['referrals-admin']));
    const again = inviteMember(w, admin, {
      ...invitee('sam', ['referrals-admin']),
      email: 'SAM@fabrikam.example',
    });
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(
      inviteMember(w, admin, { ...invitee('x', ['org-admin']), email: admin.email }),
    ).rejects.toMatchObject({ code: 'already-exists' });
  });

  it('answers another org’s member or invitee exactly like an unused address', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await inviteMember(w, contoso, {
      ...invitee('pending', ['referrals-admin']),
      email: 'pending@x.example',
    });

    const strip = (m: Membership) => ({ ...m, email: '', name: '' });
    const member = await inviteMember(w, fabrikam, {
      ...invitee('a', ['referrals-admin']),
      email: contoso.email,
    });
    const pending = await inviteMember(w, fabrikam, {
      ...invitee('b', ['referrals-admin']),
      email: 'pending@x.example',
    });
    const unused = await inviteMember(w, fabrikam, {
      ...invitee('c', ['referrals-admin']),
      email: 'nobody@x.example',
    });
    expect(strip(member)).toEqual(strip(unused));
    expect(strip(pending)).toEqual(strip(unused));
    // Contoso's admin stays Contoso's.
    expect(w.actor(contoso.sub).orgId).toBe(contoso.orgId);
  });
});

describe('inviteMember at the identity provider', () => {
  it('makes sure the address can sign in, before the invitation is written', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, { ...invitee('sam', ['referrals-admin']), email: 'Sam@Fabrikam.example' });
    expect(w.identityProvider.users.get('sam@fabrikam.example')).toMatchObject({
      name: 'Name sam',
      enabled: true,
    });
  });

  it('counts a user another org invited as there already, and enables it again after a removal', async () => {
    const w = world();
    const contoso = await w.org('Contoso');
    const fabrikam = await w.org('Fabrikam');
    await addMember(w, contoso, person('sam', ['referrals-admin']));
    await removeMember(w, contoso, { email: 'sam@fabrikam.example' });
    expect(w.identityProvider.users.get('sam@fabrikam.example')?.enabled).toBe(false);
    await inviteMember(w, fabrikam, invitee('sam', ['referrals-admin']));
    expect(w.identityProvider.users.get('sam@fabrikam.example')?.enabled).toBe(true);
  });

  it('writes no invitation when the identity provider fails, so a retry starts afresh', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    w.identityProvider.failNext = new Error('Cognito unavailable');
    await expect(inviteMember(w, admin, invitee('sam', ['referrals-admin']))).rejects.toThrow(
      'Cognito unavailable',
    );
    expect(await w.memberships.get(admin.orgId, 'sam@fabrikam.example')).toBeUndefined();
    await inviteMember(w, admin, invitee('sam', ['referrals-admin']));
    expect(await w.memberships.get(admin.orgId, 'sam@fabrikam.example')).toMatchObject({ status: 'invited' });
  });

  it('does not touch the identity provider for a refused invitation', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const ra = await addMember(w, admin, person('ra', ['referrals-admin']));
    const before = [...w.identityProvider.calls];
    await expect(inviteMember(w, ra, invitee('sam', ['referrals-admin']))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(inviteMember(w, admin, invitee('sam', []))).rejects.toBeInstanceOf(ValidationError);
    expect(w.identityProvider.calls).toEqual(before);
  });
});

describe('removeMember at the identity provider', () => {
  it('signs a removed member out everywhere, then disables it when no org offers it a place', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await addMember(w, admin, person('sam', ['referral-user'], ['DE']));
    await removeMember(w, admin, { email: 'sam@fabrikam.example' });
    expect(w.identityProvider.calls.slice(-2)).toEqual([
      'signOutEverywhere sam@fabrikam.example',
      'disable sam@fabrikam.example',
    ]);
    expect(w.identityProvider.users.get('sam@fabrikam.example')).toMatchObject({
      enabled: false,
      signOuts: 1,
    });
  });

  it('keeps the sign-in of a removed member another org has invited, so it can accept', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await addMember(w, fabrikam, person('sam', ['referral-user'], ['DE']));
    await inviteMember(w, contoso, invitee('sam', ['referrals-admin']));
    await removeMember(w, fabrikam, { email: 'sam@fabrikam.example' });
    expect(w.identityProvider.users.get('sam@fabrikam.example')).toMatchObject({
      enabled: true,
      signOuts: 1,
    });
  });

  it('leaves the sign-in alone when an invitation is withdrawn: the address may be another org’s member', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await inviteMember(w, fabrikam, { ...invitee('x', ['referrals-admin']), email: contoso.email });
    const before = [...w.identityProvider.calls];
    await removeMember(w, fabrikam, { email: contoso.email });
    expect(w.identityProvider.calls).toEqual(before);
    expect(w.identityProvider.users.get(contoso.email)?.enabled).toBe(true);
  });

  it('calls nothing when the removal is refused', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const before = [...w.identityProvider.calls];
    await expect(removeMember(w, admin, { email: admin.email })).rejects.toMatchObject({
      code: 'last-admin',
    });
    expect(w.identityProvider.calls).toEqual(before);
  });

  it('keeps the removal when the identity provider fails after it: the table decides', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await addMember(w, admin, person('sam', ['referral-user'], ['DE']));
    w.identityProvider.failNext = new Error('Cognito unavailable');
    await expect(removeMember(w, admin, { email: 'sam@fabrikam.example' })).rejects.toThrow(
      'Cognito unavailable',
    );
    expect(await w.memberships.getActor('sam')).toBeUndefined();
  });
});

describe('updateMember', () => {
  it('changes the roles and locations of an active member, effective on its next request', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await addMember(w, admin, person('sam', ['referral-user'], ['DE']));
    w.setNow('2026-11-02T09:00:00.000Z');
    const updated = await updateMember(w, admin, {
      email: 'SAM@fabrikam.example',
      roles: ['referrals-admin'],
      locations: [],
    });
    expect(updated).toMatchObject({
      status: 'active',
      sub: 'sam',
      roles: ['referrals-admin'],
      locations: [],
    });
    expect(updated.updatedAt).toBe('2026-11-02T09:00:00.000Z');
    expect(w.actor('sam')).toMatchObject({ roles: ['referrals-admin'], locations: [] });
  });

  it('changes an invitation, and keeps what the body leaves out', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, invitee('sam', ['referral-user'], ['DE']));
    const updated = await updateMember(w, admin, { email: 'sam@fabrikam.example', locations: ['FR'] });
    expect(updated).toMatchObject({ status: 'invited', roles: ['referral-user'], locations: ['FR'] });
    await expect(
      updateMember(w, admin, { email: 'sam@fabrikam.example', locations: [] }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('answers 404 for another org’s member and for an unused address alike', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    const other = updateMember(w, fabrikam, {
      email: contoso.email,
      roles: ['referral-user'],
      locations: ['DE'],
    });
    const nobody = updateMember(w, fabrikam, {
      email: 'nobody@x.example',
      roles: ['referral-user'],
      locations: ['DE'],
    });
    const [a, b] = await Promise.all([other.catch((e: unknown) => e), nobody.catch((e: unknown) => e)]);
    expect(a).toBeInstanceOf(NotFoundError);
    expect({ ...(a as NotFoundError) }).toEqual({ ...(b as NotFoundError) });
    expect((a as Error).message).toBe((b as Error).message);
    expect(w.actor(contoso.sub).roles).toEqual(['org-admin']);
  });

  it('is only for org-admins, and nobody raises its own roles', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const ra = await addMember(w, admin, person('ra', ['referrals-admin']));
    await expect(updateMember(w, ra, { email: ra.email, roles: ['org-admin'] })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await addMember(w, admin, person('second-admin', ['org-admin']));
    const raise = updateMember(w, admin, { email: admin.email, roles: ['org-admin', 'referrals-admin'] });
    await expect(raise).rejects.toMatchObject({ code: 'own-roles' });
    expect(w.actor(admin.sub).roles).toEqual(['org-admin']);
  });

  it('refuses to demote the last active org-admin (422), and an invited admin does not count', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const second = await addMember(w, admin, person('second-admin', ['org-admin']));
    await updateMember(w, second, { email: admin.email, roles: ['org-admin', 'referrals-admin'] });
    await removeMember(w, w.actor(admin.sub), { email: second.email });
    await inviteMember(w, w.actor(admin.sub), invitee('future-admin', ['org-admin']));

    const demote = updateMember(w, w.actor(admin.sub), { email: admin.email, roles: ['referrals-admin'] });
    await expect(demote).rejects.toBeInstanceOf(BusinessRuleError);
    await expect(demote).rejects.toMatchObject({ code: 'last-admin' });
    expect(w.actor(admin.sub).roles).toEqual(['org-admin', 'referrals-admin']);

    await addMember(w, w.actor(admin.sub), person('third-admin', ['org-admin']));
    await updateMember(w, w.actor(admin.sub), { email: admin.email, roles: ['referrals-admin'] });
    expect(w.actor(admin.sub).roles).toEqual(['referrals-admin']);
  });
});

describe('removeMember', () => {
  it('removes an active member: its token no longer resolves', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await addMember(w, admin, person('sam', ['referral-user'], ['DE']));
    await removeMember(w, admin, { email: 'Sam@Fabrikam.example' });
    expect(await w.memberships.get(admin.orgId, 'sam@fabrikam.example')).toBeUndefined();
    expect(await w.memberships.getActor('sam')).toBeUndefined();
  });

  it('withdraws an invitation', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, invitee('sam', ['referrals-admin']));
    await removeMember(w, admin, { email: 'sam@fabrikam.example' });
    expect(await w.memberships.findInvitations('sam@fabrikam.example')).toEqual([]);
  });

  it('answers 404 for another org’s member or nobody, and leaves the other org alone', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await expect(removeMember(w, fabrikam, { email: contoso.email })).rejects.toBeInstanceOf(NotFoundError);
    await expect(removeMember(w, fabrikam, { email: 'nobody@x.example' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await w.memberships.getActor(contoso.sub)).toBeDefined();
  });

  it('refuses to remove the last active org-admin; removing oneself is fine when another remains', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await expect(removeMember(w, admin, { email: admin.email })).rejects.toMatchObject({
      code: 'last-admin',
    });
    const second = await addMember(w, admin, person('second-admin', ['org-admin']));
    await removeMember(w, admin, { email: admin.email });
    expect(await w.memberships.getActor(admin.sub)).toBeUndefined();
    await expect(removeMember(w, second, { email: second.email })).rejects.toMatchObject({
      code: 'last-admin',
    });
  });

  it('is only for org-admins', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const ra = await addMember(w, admin, person('ra', ['referrals-admin']));
    await expect(removeMember(w, ra, { email: admin.email })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('adminCountChange', () => {
  const m = (status: 'invited' | 'active', roles: Roles) => ({ status, roles }) as Membership;
  it('counts only active org-admins', () => {
    expect(adminCountChange(m('invited', ['org-admin']), m('active', ['org-admin']))).toBe(1);
    expect(adminCountChange(m('active', ['org-admin']), m('active', ['referrals-admin']))).toBe(-1);
    expect(adminCountChange(m('active', ['org-admin']), undefined)).toBe(-1);
    expect(adminCountChange(m('invited', ['org-admin']), undefined)).toBe(0);
    expect(adminCountChange(m('active', ['referral-user']), m('active', ['referrals-admin']))).toBe(0);
  });
});

describe('listMembers', () => {
  it('lists only the caller’s org, invited and active with their status, in email order and pages', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await addMember(w, admin, person('a', ['referrals-admin']));
    await inviteMember(w, admin, invitee('b', ['referrals-admin']));
    await inviteMember(w, contoso, invitee('c', ['referrals-admin']));

    const first = await listMembers(w, admin, { page: { limit: 2 } });
    expect(first.items.map((m) => [m.email, m.status])).toEqual([
      ['a@fabrikam.example', 'active'],
      ['b@fabrikam.example', 'invited'],
    ]);
    const second = await listMembers(w, admin, {
      page: { limit: 2, ...(first.next ? { after: first.next } : {}) },
    });
    expect(second.items.map((m) => m.email)).toEqual([admin.email]);
    expect(second.next).toBeUndefined();
  });

  it('is only for org-admins', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const ra = await addMember(w, admin, person('ra', ['referrals-admin']));
    await expect(listMembers(w, ra, { page: { limit: 10 } })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
