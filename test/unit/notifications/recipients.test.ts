import { describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import type { Membership } from '#domain/identity/model.ts';
import type { Role } from '#domain/kernel/actor.ts';
import {
  dedupe,
  inviteeRecipients,
  inviterRecipients,
  newOwnerRecipients,
  reviewerRecipients,
  teamRecipients,
} from '#domain/notifications/recipients.ts';

const member = (email: string, roles: Role[], locations: string[] = []): Membership => ({
  sub: email,
  email,
  name: email,
  orgId: 'org',
  roles,
  locations,
  status: 'active',
  invitedAt: '2026-11-01T00:00:00.000Z',
  joinedAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  version: 2,
});

const dealWithTeam = (...emails: string[]) =>
  ({ team: emails.map((email) => ({ name: email, email, phone: '' })) }) as unknown as Deal;

describe('dedupe', () => {
  it('keeps the first spelling of each address, compared trimmed and case-insensitively, and drops blanks', () => {
    expect(dedupe(['Ann@X.example', ' ann@x.example ', 'bo@x.example', '  ', 'ANN@x.EXAMPLE'])).toEqual([
      'Ann@X.example',
      'bo@x.example',
    ]);
  });
});

describe('invitee recipients (new invitation, reminder)', () => {
  const members = [
    member('admin@in.example', ['org-admin']),
    member('radmin@in.example', ['referrals-admin']),
    member('de-user@in.example', ['referral-user'], ['DE', 'AT']),
    member('fr-user@in.example', ['referral-user'], ['FR']),
    member('nobody@in.example', []),
    member('ADMIN@in.example', ['referral-user'], ['DE']),
  ];

  it('are the org-admins, the referrals-admins and the referral-users of the deal location, once each', () => {
    expect(inviteeRecipients(members, { location: 'DE' })).toEqual([
      'admin@in.example',
      'radmin@in.example',
      'de-user@in.example',
    ]);
  });

  it('leave out referral-users of other locations', () => {
    expect(inviteeRecipients(members, { location: 'FR' })).toEqual([
      'admin@in.example',
      'radmin@in.example',
      'fr-user@in.example',
    ]);
    expect(inviteeRecipients(members, { location: 'US' })).toEqual(['admin@in.example', 'radmin@in.example']);
  });
});

describe('inviter recipients (accepted, declined, expired)', () => {
  const inviter = member('boss@out.example', ['referrals-admin']);
  const seller = member('Ann@Out.example', ['referral-user'], ['DE']);
  const admin = member('admin@out.example', ['org-admin']);
  const secondAdmin = member('admin2@out.example', ['org-admin', 'referral-user']);

  it('are the team entries that are current members and the inviting user, each at its member address, once', () => {
    expect(
      inviterRecipients([admin, inviter, seller], dealWithTeam('ann@out.example', 'Boss@Out.example'), {
        email: 'boss@out.example',
      }),
    ).toEqual(['Ann@Out.example', 'boss@out.example']);
  });

  it('never include a team entry that is no member, whatever its domain: it is a contact, not a recipient', () => {
    expect(
      inviterRecipients(
        [admin, inviter],
        dealWithTeam('ann@out.example', 'relay@elsewhere.example', 'partner@in.example'),
        { email: 'boss@out.example' },
      ),
    ).toEqual(['boss@out.example']);
  });

  it('leave out the inviting user once removed; the team members still hear', () => {
    expect(
      inviterRecipients([admin, seller], dealWithTeam('ann@out.example'), { email: 'boss@out.example' }),
    ).toEqual(['Ann@Out.example']);
  });

  it('fall back to every org-admin when no team entry and not the inviting user is a member', () => {
    expect(
      inviterRecipients([admin, seller, secondAdmin], dealWithTeam('relay@elsewhere.example'), {
        email: 'boss@out.example',
      }),
    ).toEqual(['admin@out.example', 'admin2@out.example']);
    expect(inviterRecipients([admin], dealWithTeam(), undefined)).toEqual(['admin@out.example']);
  });
});

describe('team recipients (registration decision)', () => {
  const admin = member('admin@x.example', ['org-admin']);

  it('are the team entries that are current members, once each', () => {
    expect(
      teamRecipients(
        [admin, member('a@x.example', ['referral-user']), member('b@x.example', ['referrals-admin'])],
        dealWithTeam('a@x.example', 'A@x.example', 'b@x.example', 'c@elsewhere.example'),
      ),
    ).toEqual(['a@x.example', 'b@x.example']);
  });

  it('fall back to the org-admins when no team entry is a member', () => {
    expect(teamRecipients([admin], dealWithTeam('gone@x.example', 'c@elsewhere.example'))).toEqual([
      'admin@x.example',
    ]);
  });
});

describe('invited members (not yet signed in)', () => {
  const invited = (email: string, roles: Role[]): Membership => {
    const { sub: _sub, joinedAt: _joinedAt, ...rest } = member(email, roles);
    return { ...rest, status: 'invited' };
  };

  it('are never recipients: neither as team entries nor as admins to fall back on', () => {
    const members = [member('admin@in.example', ['org-admin']), invited('new@in.example', ['org-admin'])];
    expect(teamRecipients(members, dealWithTeam('new@in.example'))).toEqual(['admin@in.example']);
    expect(inviteeRecipients(members, { location: 'DE' })).toEqual(['admin@in.example']);
  });
});

describe("the deal's owner", () => {
  const members = [
    member('admin@in.example', ['org-admin']),
    member('owner@in.example', ['referral-user'], ['DE']),
    member('team@in.example', ['referral-user'], ['DE']),
  ];
  const owned = (owner: string, ...team: string[]) =>
    ({ ...dealWithTeam(...team), location: 'DE', owner: { email: owner, name: 'Owner' } }) as Deal;

  it('joins the recipients of every email about its deal, once even when also on the team', () => {
    expect(teamRecipients(members, owned('OWNER@in.example', 'team@in.example'))).toEqual([
      'team@in.example',
      'owner@in.example',
    ]);
    expect(teamRecipients(members, owned('owner@in.example', 'owner@in.example'))).toEqual([
      'owner@in.example',
    ]);
    expect(inviterRecipients(members, owned('owner@in.example'), undefined)).toEqual(['owner@in.example']);
    expect(reviewerRecipients(members, owned('owner@in.example'))).toEqual([
      'admin@in.example',
      'owner@in.example',
    ]);
  });

  it('receives nothing once removed: no longer a member, it is no candidate', () => {
    const remaining = members.filter((candidate) => candidate.email !== 'owner@in.example');
    expect(teamRecipients(remaining, owned('owner@in.example', 'team@in.example'))).toEqual([
      'team@in.example',
    ]);
    expect(newOwnerRecipients(remaining, owned('owner@in.example'), 'owner@in.example')).toEqual([]);
  });

  it('is told alone that it owns the deal, only while it still does', () => {
    expect(newOwnerRecipients(members, owned('owner@in.example'), 'Owner@in.example')).toEqual([
      'owner@in.example',
    ]);
    expect(newOwnerRecipients(members, owned('team@in.example'), 'owner@in.example')).toEqual([]);
  });
});
