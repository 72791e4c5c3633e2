import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '#domain/deps.ts';
import type { InvitationEmailWrite } from '#domain/identity/invitation-email.ts';
import { acceptInvitation, declineInvitation } from '#domain/identity/invitations.ts';
import { inviteMember, removeMember, subBinding, updateMember } from '#domain/identity/members.ts';
import type { Membership } from '#domain/identity/model.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import type { MemberEvent } from '#domain/kernel/events.ts';
import { membershipKeys, orgKeys, outboxKeys } from '#functions/adapters/dynamo/keys.ts';
import { DynamoOrgStore } from '#functions/adapters/dynamo/org-store.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { dynamoDeps } from '#functions/composition/deps.ts';
import { addMember } from '#test/support/members.ts';
import { MemoryIdentityProvider } from '#test/support/memory/identity-provider.ts';
import { createTestTable } from '#test/support/test-table.ts';

let table: TableRef;
let deps: Deps;

beforeAll(async () => {
  table = await createTestTable();
  deps = { ...dynamoDeps(table), identityProvider: new MemoryIdentityProvider() };
});

let counter = 0;
const unique = (name: string) => `${name}-${++counter}`;

const onboard = async (kind: 'partner' | 'host' = 'partner', name = unique('Org')) => {
  const sub = unique('admin');
  const org = await onboardOrg(deps, {
    name,
    kind,
    admin: { sub, email: `${sub}@example.com`, name: 'Admin' },
  });
  const actor = await deps.memberships.getActor(sub);
  if (!actor) throw new Error('admin not stored');
  return { org, admin: actor };
};

const raw = async (key: Record<string, unknown>) =>
  (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;

/** The `member.invited` outbox items of one address and org (the outbox is keyed by event id). */
const outboxItemsOf = async (orgId: string, email: string): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: '#type = :outbox AND #event.#member.#email = :email AND #event.orgId = :org',
        ExpressionAttributeNames: {
          '#type': 'type',
          '#event': 'event',
          '#member': 'member',
          '#email': 'email',
        },
        ExpressionAttributeValues: { ':outbox': 'Outbox', ':email': email, ':org': orgId },
        ...(after ? { ExclusiveStartKey: after } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    after = page.LastEvaluatedKey;
  } while (after);
  return items;
};

const admins = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, index) => ({
    sub: `${prefix}-${index}`,
    email: `${prefix}-${index}@example.com`,
    name: `Admin ${index}`,
    roles: ['org-admin' as const],
    locations: [],
  }));

describe('DynamoOrgStore', () => {
  it('stores an org with adminCount 1 and resolves its admin as an actor from the membership item alone', async () => {
    const { org, admin } = await onboard('partner', 'Fabrikam Labs');
    expect(await deps.orgs.get(org.id)).toEqual(org);
    expect(await raw(orgKeys.item(org.id))).toMatchObject({ type: 'Org', version: 1, adminCount: 1 });
    expect(await raw(membershipKeys.binding(admin.sub))).toMatchObject({
      type: 'Membership',
      version: 1,
      orgName: 'Fabrikam Labs',
      orgKind: 'partner',
      capabilities: [],
    });
    expect(await raw(membershipKeys.member(org.id, admin.email))).toMatchObject({
      type: 'Member',
      status: 'active',
      sub: admin.sub,
    });
    expect(admin).toMatchObject({ orgId: org.id, orgName: 'Fabrikam Labs', roles: ['org-admin'] });
  });

  it('keeps exactly one host, also when two are onboarded at once', async () => {
    const results = await Promise.allSettled([onboard('host', 'Host A'), onboard('host', 'Host B')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ kind: 'conflict', code: 'already-exists' });
    const winner = (
      results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ org: { id: string } }>
    ).value;
    expect((await deps.orgs.getHost())?.id).toBe(winner.org.id);
    await expect(onboard('host', 'Host C')).rejects.toMatchObject({ code: 'already-exists' });
  });

  it('refuses an admin sub that is taken and writes nothing of the new org', async () => {
    const { admin } = await onboard();
    const attempt = onboardOrg(deps, {
      name: 'Second',
      kind: 'partner',
      admin: { sub: admin.sub, email: 'x@example.com', name: 'X' },
    });
    await expect(attempt).rejects.toMatchObject({ kind: 'conflict', code: 'already-exists' });
    expect((await deps.orgs.searchPartners('second', { limit: 10 })).items).toEqual([]);
  });

  it('finds partners by name prefix, case-insensitively, never the host, with paging', async () => {
    const prefix = unique('zeta');
    for (const suffix of ['a', 'b', 'c']) await onboard('partner', `${prefix.toUpperCase()} ${suffix}`);
    const first = await deps.orgs.searchPartners(prefix, { limit: 2 });
    expect(first.items.map((o) => o.name)).toEqual([
      `${prefix.toUpperCase()} a`,
      `${prefix.toUpperCase()} b`,
    ]);
    expect(first.next).toBeDefined();
    const second = await deps.orgs.searchPartners(prefix, {
      limit: 2,
      ...(first.next ? { after: first.next } : {}),
    });
    expect(second.items.map((o) => o.name)).toEqual([`${prefix.toUpperCase()} c`]);
  });

  it('answers ping', async () => {
    await expect(deps.orgs.ping()).resolves.toBeUndefined();
    const missing = new DynamoOrgStore({ db: table.db, tableName: 'no-such-table' });
    await expect(missing.ping()).rejects.toThrow();
  });
});

describe('DynamoMembershipStore', () => {
  it('invites, binds, updates, lists in pages and removes members, keeping adminCount in step', async () => {
    const { org, admin } = await onboard();
    await inviteMember(deps, admin, {
      email: `B-${org.id}@Example.com`,
      name: 'B',
      roles: ['org-admin'],
      locations: [],
    });
    const b = `b-${org.id}@example.com`.toLowerCase();
    // An invited admin is not an admin yet.
    expect(await raw(orgKeys.item(org.id))).toMatchObject({ adminCount: 1 });
    expect(await raw(membershipKeys.member(org.id, b))).toMatchObject({ status: 'invited', version: 1 });
    expect((await raw(membershipKeys.member(org.id, b)))?.sub).toBeUndefined();

    expect(await acceptInvitation(deps, { sub: `${org.id}-b`, email: b }, { orgId: org.id })).toMatchObject({
      orgId: org.id,
    });
    expect(await raw(orgKeys.item(org.id))).toMatchObject({ adminCount: 2 });
    expect(await raw(membershipKeys.member(org.id, b))).toMatchObject({
      status: 'active',
      sub: `${org.id}-b`,
      version: 2,
    });
    await addMember(deps, admin, {
      sub: `${org.id}-c`,
      email: `c-${org.id}@example.com`,
      name: 'C',
      roles: ['referral-user'],
      locations: ['DE'],
    });

    await updateMember(deps, admin, { email: b, roles: ['referrals-admin'] });
    expect(await raw(orgKeys.item(org.id))).toMatchObject({ adminCount: 1 });
    expect(await raw(membershipKeys.member(org.id, b))).toMatchObject({
      version: 3,
      roles: ['referrals-admin'],
    });
    expect(await deps.memberships.getActor(`${org.id}-b`)).toMatchObject({ roles: ['referrals-admin'] });

    const seen: Membership[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await deps.memberships.listByOrg(org.id, { limit: 2, ...(after ? { after } : {}) });
      seen.push(...page.items);
      after = page.next;
    } while (after);
    expect(seen.map((m) => [m.email, m.status])).toEqual(
      [
        [admin.email, 'active'],
        [b, 'active'],
        [`c-${org.id}@example.com`.toLowerCase(), 'active'],
      ].sort(),
    );

    await removeMember(deps, admin, { email: `c-${org.id}@example.com` });
    expect(await deps.memberships.getActor(`${org.id}-c`)).toBeUndefined();
    expect(await raw(membershipKeys.binding(`${org.id}-c`))).toBeUndefined();
    await expect(removeMember(deps, admin, { email: admin.email })).rejects.toMatchObject({
      code: 'last-admin',
    });
  });

  it('writes an emailed invitation, its address mark and its outbox event in one transaction', async () => {
    const { org, admin } = await onboard();
    const email = `${unique('person')}@example.com`;
    const invitation = await inviteMember(deps, admin, {
      email,
      name: 'P',
      roles: ['referral-user'],
      locations: ['DE'],
    });
    const mark = await deps.memberships.getInvitationEmailMark(org.id, email);
    expect(mark).toEqual({ orgId: org.id, email, emailedAt: invitation.invitedAt, version: 1 });
    expect(await raw(membershipKeys.invitationEmail(org.id, email))).toMatchObject({
      type: 'InvitationEmail',
      ttl: expect.any(Number),
    });
    const [outbox, ...others] = await outboxItemsOf(org.id, email);
    expect(others).toEqual([]);
    expect(outbox).toMatchObject({
      type: 'Outbox',
      event: { type: 'member.invited', orgId: org.id, member: { email }, actor: { sub: admin.sub } },
    });

    // All or nothing: a member that exists, or a mark that moved, writes neither event nor mark.
    const write = (readVersion: number | undefined, eventId: string): InvitationEmailWrite => ({
      readVersion,
      mark: { orgId: org.id, email, emailedAt: '2030-01-01T00:00:00.000Z', version: 9 },
      event: { ...(outbox?.event as MemberEvent), id: eventId },
    });
    expect(await deps.memberships.invite(invitation, write(1, 'EXISTS-EVENT'))).toBe('exists');
    await removeMember(deps, admin, { email });
    expect(await deps.memberships.invite(invitation, write(undefined, 'STALE-EVENT'))).toBe('stale');
    expect(await deps.memberships.get(org.id, email)).toBeUndefined();
    expect(await deps.memberships.getInvitationEmailMark(org.id, email)).toEqual(mark);
    expect(await raw(outboxKeys.item('EXISTS-EVENT'))).toBeUndefined();
    expect(await raw(outboxKeys.item('STALE-EVENT'))).toBeUndefined();

    // Invited again within the hour: the invitation is written, without a second email.
    await inviteMember(deps, admin, { email, name: 'P', roles: ['referral-user'], locations: ['DE'] });
    expect(await deps.memberships.get(org.id, email)).toMatchObject({ status: 'invited' });
    expect(await outboxItemsOf(org.id, email)).toHaveLength(1);
  });

  it('keeps its conditions: one invitation per org and address, binds only what is still invited and unbound', async () => {
    const one = await onboard();
    const two = await onboard();
    const email = `${unique('person')}@example.com`;
    const invitation = await inviteMember(deps, one.admin, {
      email,
      name: 'P',
      roles: ['referrals-admin'],
      locations: [],
    });
    expect(await deps.memberships.invite(invitation)).toBe('exists');
    // Another org may invite the same address: invitations are per org.
    await inviteMember(deps, two.admin, { email, name: 'P', roles: ['referrals-admin'], locations: [] });
    expect((await deps.memberships.findInvitations(email)).map((m) => m.orgId).sort()).toEqual(
      [one.org.id, two.org.id].sort(),
    );

    const active = { ...invitation, status: 'active' as const, sub: two.admin.sub, version: 2 };
    const bindingOf = (member: Membership) => subBinding(member, one.org) as Actor;
    // The sub is bound in another org: nothing is written.
    expect(await deps.memberships.bind(active, bindingOf(active), 0)).toBe('stale');
    expect(await raw(membershipKeys.member(one.org.id, email))).toMatchObject({
      status: 'invited',
      version: 1,
    });
    expect(await deps.memberships.getActor(two.admin.sub)).toMatchObject({ orgId: two.org.id });
    // A version that is not the stored one: nothing is written.
    const stale = { ...active, sub: 'fresh', version: 5 };
    expect(await deps.memberships.bind(stale, bindingOf(stale), 0)).toBe('stale');
    const fresh = { ...active, sub: 'fresh' };
    expect(await deps.memberships.bind(fresh, bindingOf(fresh), 0)).toBe('written');
    const fresh2 = { ...active, sub: 'fresh-2' };
    expect(await deps.memberships.bind(fresh2, bindingOf(fresh2), 0)).toBe('stale');
    expect(await deps.memberships.getActor('fresh-2')).toBeUndefined();
    expect(await deps.memberships.update(fresh, bindingOf(fresh), 0)).toBe('stale');
  });

  it('binds an invitation to exactly one of three subs accepting at once', async () => {
    const { org, admin } = await onboard();
    const email = `${unique('race')}@example.com`;
    await inviteMember(deps, admin, { email, name: 'R', roles: ['org-admin'], locations: [] });
    const results = await Promise.allSettled(
      ['x', 'y', 'z'].map((suffix) =>
        acceptInvitation(deps, { sub: `${org.id}-${suffix}`, email }, { orgId: org.id }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(await raw(orgKeys.item(org.id))).toMatchObject({ adminCount: 2 });
  });

  it('settles an accept racing a decline of the same invitation with exactly one outcome', async () => {
    const { org, admin } = await onboard();
    const email = `${unique('answer')}@example.com`;
    await inviteMember(deps, admin, { email, name: 'A', roles: ['referrals-admin'], locations: [] });
    const person = { sub: `${org.id}-answer`, email };
    const [accepted, declined] = await Promise.allSettled([
      acceptInvitation(deps, person, { orgId: org.id }),
      declineInvitation(deps, person, { orgId: org.id }),
    ]);
    const stored = await raw(membershipKeys.member(org.id, email));
    if (accepted.status === 'fulfilled') {
      expect(declined.status).toBe('rejected');
      expect(stored).toMatchObject({ status: 'active', sub: person.sub });
    } else {
      expect(declined.status).toBe('fulfilled');
      expect(stored).toMatchObject({ status: 'declined' });
      expect(await deps.memberships.getActor(person.sub)).toBeUndefined();
    }
  });

  it('lets exactly one of two concurrent removals of the last two admins win', async () => {
    const { org, admin } = await onboard();
    const [second] = admins(1, `${org.id}-race`);
    const secondActor = await addMember(deps, admin, second!);

    const results = await Promise.allSettled([
      removeMember(deps, admin, { email: admin.email }),
      removeMember(deps, secondActor, { email: second!.email }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ kind: 'business-rule', code: 'last-admin' });
    expect(await raw(orgKeys.item(org.id))).toMatchObject({ adminCount: 1 });
    const remaining = (await deps.memberships.listByOrg(org.id, { limit: 10 })).items;
    expect(remaining).toHaveLength(1);
    expect(remaining[0]?.roles).toContain('org-admin');
  });

  it('never loses the last admin when many admins are removed and demoted at once', async () => {
    const { org, admin } = await onboard();
    const others = admins(5, `${org.id}-many`);
    for (const other of others) await addMember(deps, admin, other);
    expect(await raw(orgKeys.item(org.id))).toMatchObject({ adminCount: 6 });

    const everyone = [admin.email, ...others.map((o) => o.email)];
    const results = await Promise.allSettled(
      everyone.map((email, index) =>
        index % 2 === 0
          ? removeMember(deps, admin, { email })
          : updateMember(deps, admin, { email, roles: ['referrals-admin'] }),
      ),
    );
    const failures = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failures).toHaveLength(1);
    expect(failures[0]?.reason).toMatchObject({ code: 'last-admin' });
    const members = (await deps.memberships.listByOrg(org.id, { limit: 10 })).items;
    expect(members.filter((m) => m.roles.includes('org-admin'))).toHaveLength(1);
    expect(await raw(orgKeys.item(org.id))).toMatchObject({ adminCount: 1 });
  });
});
