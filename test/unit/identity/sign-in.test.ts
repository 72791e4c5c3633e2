import { describe, expect, it } from 'vitest';
import { inviteMember, removeMember } from '#domain/identity/members.ts';
import { signIn } from '#domain/identity/sign-in.ts';
import { addMember } from '#test/support/members.ts';
import { world } from './world.ts';

const invitation = {
  email: 'Sam@Example.com',
  name: 'Sam',
  roles: ['referral-user' as const],
  locations: ['DE'],
};

describe('signIn', () => {
  it('binds the sub of the first sign-in whose email matches (any case) and makes it active', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, invitation);
    w.setNow('2026-11-03T10:00:00.000Z');

    const actor = await signIn(w, { sub: 'idp|sam', email: 'SAM@example.COM' });
    expect(actor).toMatchObject({
      sub: 'idp|sam',
      orgId: admin.orgId,
      roles: ['referral-user'],
      locations: ['DE'],
    });
    expect(await w.memberships.get(admin.orgId, 'sam@example.com')).toMatchObject({
      status: 'active',
      sub: 'idp|sam',
      joinedAt: '2026-11-03T10:00:00.000Z',
    });
    // Bound: the sub is the member from now on, whatever email a later token carries.
    expect(await signIn(w, { sub: 'idp|sam', email: 'other@example.com' })).toMatchObject({
      orgId: admin.orgId,
    });
  });

  it('refuses an email the identity provider says is not verified, and a token without one', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, invitation);
    expect(
      await signIn(w, { sub: 'idp|sam', email: 'sam@example.com', emailVerified: false }),
    ).toBeUndefined();
    expect(await signIn(w, { sub: 'idp|sam' })).toBeUndefined();
    expect((await w.memberships.get(admin.orgId, 'sam@example.com'))?.status).toBe('invited');
  });

  it('lets only one sub take an invitation: a second account with the same email stays outside', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, invitation);
    const results = await Promise.all([
      signIn(w, { sub: 'first', email: 'sam@example.com' }),
      signIn(w, { sub: 'second', email: 'sam@example.com' }),
    ]);
    expect(results.filter((actor) => actor !== undefined)).toHaveLength(1);
    expect(await signIn(w, { sub: 'third', email: 'sam@example.com' })).toBeUndefined();
  });

  it('never moves a member of one org into another that invited the same address', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await inviteMember(w, contoso, { ...invitation, email: fabrikam.email });
    expect(await signIn(w, { sub: fabrikam.sub, email: fabrikam.email })).toMatchObject({
      orgId: fabrikam.orgId,
    });
    expect((await w.memberships.get(contoso.orgId, fabrikam.email))?.status).toBe('invited');
  });

  it('joins the oldest of several orgs’ invitations; the others stay invited', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await inviteMember(w, contoso, invitation);
    w.setNow('2026-11-02T09:00:00.000Z');
    await inviteMember(w, fabrikam, invitation);

    expect(await signIn(w, { sub: 'sam', email: 'sam@example.com' })).toMatchObject({ orgId: contoso.orgId });
    expect((await w.memberships.get(fabrikam.orgId, 'sam@example.com'))?.status).toBe('invited');

    // Removed from the org it joined, the person's next sign-in takes the invitation still waiting.
    await removeMember(w, contoso, { email: 'sam@example.com' });
    expect(await signIn(w, { sub: 'sam', email: 'sam@example.com' })).toMatchObject({
      orgId: fabrikam.orgId,
    });
  });

  it('counts an invited org-admin as an admin once it joined', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await addMember(w, admin, {
      sub: 'second',
      email: 'second@f.example',
      name: 'S',
      roles: ['org-admin'],
      locations: [],
    });
    // Two active admins now: the first may leave.
    await removeMember(w, admin, { email: admin.email });
    expect(await w.memberships.getActor(admin.sub)).toBeUndefined();
  });
});
