import { describe, expect, it } from 'vitest';
import { acceptInvitation, declineInvitation, listInvitations } from '#domain/identity/invitations.ts';
import { inviteMember, removeMember } from '#domain/identity/members.ts';
import { signIn } from '#domain/identity/sign-in.ts';
import { world } from './world.ts';

const expectDomainError = (attempt: Promise<unknown>, code: string) =>
  expect(attempt).rejects.toMatchObject({ code });

const invitation = {
  email: 'Sam@Example.com',
  name: 'Sam',
  roles: ['referral-user' as const],
  locations: ['DE'],
};
const sam = { sub: 'idp|sam', email: 'SAM@example.COM', emailVerified: true };

describe('signing in', () => {
  it('makes nobody a member: an invited address stays an offer until its person accepts', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, invitation);
    expect(await signIn(w, sam)).toBeUndefined();
    expect((await w.memberships.get(admin.orgId, 'sam@example.com'))?.status).toBe('invited');
  });
});

describe('listInvitations', () => {
  it('shows every org that invited the verified address, newest first, with the roles it offers', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    w.setNow('2026-11-02T09:00:00.000Z');
    await inviteMember(w, contoso, invitation);
    w.setNow('2026-11-03T09:00:00.000Z');
    await inviteMember(w, fabrikam, { ...invitation, roles: ['org-admin'], locations: [] });
    expect(await listInvitations(w, sam)).toEqual([
      {
        orgId: fabrikam.orgId,
        orgName: 'Fabrikam',
        roles: ['org-admin'],
        invitedAt: '2026-11-03T09:00:00.000Z',
      },
      {
        orgId: contoso.orgId,
        orgName: 'Contoso',
        roles: ['referral-user'],
        invitedAt: '2026-11-02T09:00:00.000Z',
      },
    ]);
  });

  it('shows nothing to an address the identity provider did not verify, or a token without one', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, invitation);
    expect(await listInvitations(w, { ...sam, emailVerified: false })).toEqual([]);
    expect(await listInvitations(w, { sub: 'idp|sam' })).toEqual([]);
  });
});

describe('acceptInvitation', () => {
  it('binds the sub to the chosen org (one conditional write) and answers the membership', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await inviteMember(w, contoso, invitation);
    await inviteMember(w, fabrikam, invitation);
    w.setNow('2026-11-03T10:00:00.000Z');

    const actor = await acceptInvitation(w, sam, { orgId: fabrikam.orgId });
    expect(actor).toMatchObject({ sub: 'idp|sam', orgId: fabrikam.orgId, roles: ['referral-user'] });
    expect(await signIn(w, sam)).toEqual(actor);
    expect(await w.memberships.get(fabrikam.orgId, 'sam@example.com')).toMatchObject({
      status: 'active',
      sub: 'idp|sam',
      joinedAt: '2026-11-03T10:00:00.000Z',
    });
    // The other org's offer stays open (and declinable); accepting it too is refused.
    expect((await listInvitations(w, sam)).map((offer) => offer.orgId)).toEqual([contoso.orgId]);
    await expectDomainError(acceptInvitation(w, sam, { orgId: contoso.orgId }), 'already-a-member');
    // A retried accept of the org one belongs to answers the membership again.
    expect(await acceptInvitation(w, sam, { orgId: fabrikam.orgId })).toEqual(actor);
  });

  it('is 404 without an open invitation of the verified address, and for an unverified one', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await inviteMember(w, fabrikam, invitation);
    await expectDomainError(acceptInvitation(w, sam, { orgId: contoso.orgId }), 'not-found');
    await expectDomainError(acceptInvitation(w, sam, { orgId: 'nowhere' }), 'not-found');
    await expectDomainError(
      acceptInvitation(w, { ...sam, emailVerified: false }, { orgId: fabrikam.orgId }),
      'not-found',
    );
  });

  it('lets only one sub take an invitation: a second account with the same email is refused', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, invitation);
    const results = await Promise.allSettled([
      acceptInvitation(w, { ...sam, sub: 'first' }, { orgId: admin.orgId }),
      acceptInvitation(w, { ...sam, sub: 'second' }, { orgId: admin.orgId }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    await expectDomainError(
      acceptInvitation(w, { ...sam, sub: 'third' }, { orgId: admin.orgId }),
      'not-found',
    );
  });

  it('never moves a member of one org into another that invited the same address', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await inviteMember(w, contoso, { ...invitation, email: fabrikam.email });
    const admin = { sub: fabrikam.sub, email: fabrikam.email, emailVerified: true };
    await expectDomainError(acceptInvitation(w, admin, { orgId: contoso.orgId }), 'already-a-member');
    expect(await signIn(w, admin)).toMatchObject({ orgId: fabrikam.orgId });
    expect((await w.memberships.get(contoso.orgId, fabrikam.email))?.status).toBe('invited');
  });

  it('lets a removed member accept another org’s offer', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await inviteMember(w, contoso, invitation);
    await inviteMember(w, fabrikam, invitation);
    await acceptInvitation(w, sam, { orgId: contoso.orgId });
    await removeMember(w, contoso, { email: 'sam@example.com' });
    expect(await signIn(w, sam)).toBeUndefined();
    expect(await acceptInvitation(w, sam, { orgId: fabrikam.orgId })).toMatchObject({
      orgId: fabrikam.orgId,
    });
  });

  it('counts an invited org-admin as an admin once it accepted', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, {
      email: 'second@f.example',
      name: 'S',
      roles: ['org-admin'],
      locations: [],
    });
    await acceptInvitation(w, { sub: 'second', email: 'second@f.example' }, { orgId: admin.orgId });
    // Two active admins now: the first may leave.
    await removeMember(w, admin, { email: admin.email });
    expect(await w.memberships.getActor(admin.sub)).toBeUndefined();
  });
});

describe('declineInvitation', () => {
  it('leaves the invitation declined for the inviting org, no longer an offer; removing it frees the address', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await inviteMember(w, admin, invitation);
    await declineInvitation(w, sam, { orgId: admin.orgId });
    expect((await w.memberships.get(admin.orgId, 'sam@example.com'))?.status).toBe('declined');
    expect(await listInvitations(w, sam)).toEqual([]);
    await expectDomainError(acceptInvitation(w, sam, { orgId: admin.orgId }), 'not-found');
    await expectDomainError(declineInvitation(w, sam, { orgId: admin.orgId }), 'not-found');
    await expectDomainError(inviteMember(w, admin, invitation), 'already-exists');
    await removeMember(w, admin, { email: 'sam@example.com' });
    await inviteMember(w, admin, invitation);
    expect((await listInvitations(w, sam)).map((offer) => offer.orgId)).toEqual([admin.orgId]);
  });

  it('is open to a member of another org, and refuses an unverified address', async () => {
    const w = world();
    const fabrikam = await w.org('Fabrikam');
    const contoso = await w.org('Contoso');
    await inviteMember(w, contoso, invitation);
    await inviteMember(w, fabrikam, invitation);
    await acceptInvitation(w, sam, { orgId: fabrikam.orgId });
    await expectDomainError(
      declineInvitation(w, { ...sam, emailVerified: false }, { orgId: contoso.orgId }),
      'not-found',
    );
    await declineInvitation(w, sam, { orgId: contoso.orgId });
    expect((await w.memberships.get(contoso.orgId, 'sam@example.com'))?.status).toBe('declined');
    expect(await signIn(w, sam)).toMatchObject({ orgId: fabrikam.orgId });
  });
});
