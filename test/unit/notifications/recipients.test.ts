import { describe, expect, it } from 'vitest';
import type { Deal, Membership, Role } from '#domain/model.ts';
import {
  dedupe,
  inviteeRecipients,
  inviterRecipients,
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
    expect(inviteeRecipients(members, 'DE')).toEqual([
      'admin@in.example',
      'radmin@in.example',
      'de-user@in.example',
    ]);
  });

  it('leave out referral-users of other locations', () => {
    expect(inviteeRecipients(members, 'FR')).toEqual([
      'admin@in.example',
      'radmin@in.example',
      'fr-user@in.example',
    ]);
    expect(inviteeRecipients(members, 'US')).toEqual(['admin@in.example', 'radmin@in.example']);
  });
});

describe('inviter recipients (accepted, declined, expired)', () => {
  it('are the inviting deal team and the inviting user, without duplicates', () => {
    expect(
      inviterRecipients(dealWithTeam('ann@out.example', 'Boss@Out.example'), { email: 'boss@out.example' }),
    ).toEqual(['ann@out.example', 'Boss@Out.example']);
    expect(inviterRecipients(dealWithTeam('ann@out.example'), { email: 'inviter@out.example' })).toEqual([
      'ann@out.example',
      'inviter@out.example',
    ]);
    expect(inviterRecipients(dealWithTeam(), undefined)).toEqual([]);
  });
});

describe('team recipients (registration decision)', () => {
  it('are the deal team', () => {
    expect(teamRecipients(dealWithTeam('a@x.example', 'A@x.example', 'b@x.example'))).toEqual([
      'a@x.example',
      'b@x.example',
    ]);
  });
});
