import { describe, expect, it } from 'vitest';
import {
  BusinessRuleError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '#domain/errors.ts';
import { listMembers, putMember, removeMember } from '#domain/identity/members.ts';
import { world } from './world.ts';

const member = (
  sub: string,
  roles: ('org-admin' | 'referrals-admin' | 'referral-user')[],
  locations: string[] = [],
) => ({
  sub,
  email: `${sub}@fabrikam.example`,
  name: `Name ${sub}`,
  roles,
  locations,
});

const fieldPaths = async (promise: Promise<unknown>) => {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors.map((e) => e.path).sort();
};

describe('putMember', () => {
  it('adds a member to the admin’s org and the member resolves as an actor of that org', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const stored = await putMember(w, admin, member('sam', ['referral-user'], ['DE', 'FR', 'DE']));

    expect(stored).toMatchObject({ orgId: admin.orgId, roles: ['referral-user'], locations: ['DE', 'FR'] });
    expect(stored.updatedAt).toBe('2026-11-01T09:00:00.000Z');
    expect(w.actor('sam')).toMatchObject({
      orgId: admin.orgId,
      orgName: 'Fabrikam',
      roles: ['referral-user'],
    });
  });

  it('replaces an existing member’s roles and locations', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await putMember(w, admin, member('sam', ['referral-user'], ['DE']));
    await putMember(w, admin, member('sam', ['referrals-admin'], []));
    expect(w.actor('sam')).toMatchObject({ roles: ['referrals-admin'], locations: [] });
  });

  it('is only for org-admins (403)', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await putMember(w, admin, member('ra', ['referrals-admin']));
    await expect(putMember(w, w.actor('ra'), member('x', ['referral-user'], ['DE']))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      putMember(w, w.actor('ra'), member('ra', ['referrals-admin', 'org-admin'])),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('needs at least one role and valid ISO alpha-2 locations', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    expect(await fieldPaths(putMember(w, admin, member('x', [], ['DE'])))).toEqual(['roles']);
    expect(await fieldPaths(putMember(w, admin, member('x', ['referrals-admin'], ['XX', 'de'])))).toEqual([
      'locations.0',
      'locations.1',
    ]);
  });

  it('needs at least one location for a referral-user', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    expect(await fieldPaths(putMember(w, admin, member('x', ['referral-user'], [])))).toEqual(['locations']);
    await expect(putMember(w, admin, member('y', ['referrals-admin'], []))).resolves.toBeDefined();
  });

  it('never lets an admin raise its own roles, but lets it keep or drop them', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await putMember(w, admin, member('second-admin', ['org-admin']));

    const raise = putMember(w, admin, {
      ...member(admin.sub, ['org-admin', 'referrals-admin']),
      email: admin.email,
    });
    await expect(raise).rejects.toBeInstanceOf(ForbiddenError);
    await expect(raise).rejects.toMatchObject({ code: 'own-roles' });
    expect(w.actor(admin.sub).roles).toEqual(['org-admin']);

    await putMember(w, admin, { ...member(admin.sub, ['org-admin']), name: 'Renamed' });
    expect(w.actor(admin.sub).name).toBe('Renamed');
  });

  it('refuses a sub that belongs to another org (409) and leaves it there', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    const result = putMember(w, fabrikam, member(contoso.sub, ['referrals-admin']));
    await expect(result).rejects.toBeInstanceOf(ConflictError);
    await expect(result).rejects.toMatchObject({ code: 'already-exists' });
    expect(w.actor(contoso.sub).orgId).toBe(contoso.orgId);
  });

  it('refuses to demote the last org-admin (422 last-admin), even itself', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await putMember(w, admin, member('second-admin', ['org-admin']));
    const second = w.actor('second-admin');
    await putMember(w, second, {
      ...member(admin.sub, ['org-admin', 'referrals-admin']),
      email: admin.email,
    });
    await removeMember(w, w.actor(admin.sub), { sub: 'second-admin' });

    const demote = putMember(w, w.actor(admin.sub), {
      ...member(admin.sub, ['referrals-admin']),
      email: admin.email,
    });
    await expect(demote).rejects.toBeInstanceOf(BusinessRuleError);
    await expect(demote).rejects.toMatchObject({ code: 'last-admin' });
    expect(w.actor(admin.sub).roles).toEqual(['org-admin', 'referrals-admin']);
  });

  it('lets an admin demote itself while another org-admin remains', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await putMember(w, admin, member('second-admin', ['org-admin']));
    await putMember(w, w.actor('second-admin'), {
      ...member(admin.sub, ['org-admin', 'referrals-admin']),
      email: admin.email,
    });
    await putMember(w, w.actor(admin.sub), { ...member(admin.sub, ['referrals-admin']), email: admin.email });
    expect(w.actor(admin.sub).roles).toEqual(['referrals-admin']);
  });
});

describe('removeMember', () => {
  it('removes a member of the org', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await putMember(w, admin, member('sam', ['referral-user'], ['DE']));
    await removeMember(w, admin, { sub: 'sam' });
    expect(await w.memberships.get('sam')).toBeUndefined();
  });

  it('answers 404 for a sub of another org or nobody, and leaves the other org alone', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await expect(removeMember(w, fabrikam, { sub: contoso.sub })).rejects.toBeInstanceOf(NotFoundError);
    await expect(removeMember(w, fabrikam, { sub: 'nobody' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await w.memberships.get(contoso.sub)).toBeDefined();
  });

  it('refuses to remove the last org-admin; removing oneself is fine when another admin remains', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await expect(removeMember(w, admin, { sub: admin.sub })).rejects.toMatchObject({ code: 'last-admin' });
    await putMember(w, admin, member('second-admin', ['org-admin']));
    await removeMember(w, admin, { sub: admin.sub });
    expect(await w.memberships.get(admin.sub)).toBeUndefined();
    await expect(removeMember(w, w.actor('second-admin'), { sub: 'second-admin' })).rejects.toMatchObject({
      code: 'last-admin',
    });
  });

  it('is only for org-admins', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await putMember(w, admin, member('ra', ['referrals-admin']));
    await expect(removeMember(w, w.actor('ra'), { sub: admin.sub })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('listMembers', () => {
  it('lists only the caller’s org, in pages', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await w.org('Contoso');
    for (const sub of ['a', 'b', 'c']) await putMember(w, admin, member(sub, ['referrals-admin']));

    const first = await listMembers(w, admin, { limit: 2 });
    expect(first.items.map((m) => m.sub)).toEqual(['a', 'b']);
    const second = await listMembers(w, admin, { limit: 2, ...(first.next ? { after: first.next } : {}) });
    expect(second.items.map((m) => m.sub)).toEqual(['c', 'fabrikam-admin']);
    expect(second.next).toBeUndefined();
  });

  it('is only for org-admins', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await putMember(w, admin, member('ra', ['referrals-admin']));
    await expect(listMembers(w, w.actor('ra'), { limit: 10 })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
