import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { putMember, removeMember } from '#domain/identity/members.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import type { Membership } from '#domain/model.ts';
import type { Deps } from '#domain/ports.ts';
import { membershipKeys, orgKeys } from '#functions/adapters/dynamo/keys.ts';
import { DynamoOrgStore } from '#functions/adapters/dynamo/org-store.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { dynamoDeps } from '#functions/composition.ts';
import { createTestTable } from '#test/support/test-table.ts';

let table: TableRef;
let deps: Deps;

beforeAll(async () => {
  table = await createTestTable();
  deps = dynamoDeps(table);
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
    expect(await raw(membershipKeys.item(admin.sub))).toMatchObject({
      type: 'Membership',
      version: 1,
      orgName: 'Fabrikam Labs',
      orgKind: 'partner',
      capabilities: [],
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
  it('adds, updates, lists in pages and removes members, keeping adminCount in step', async () => {
    const { org, admin } = await onboard();
    await putMember(deps, admin, {
      sub: `${org.id}-b`,
      email: 'b@example.com',
      name: 'B',
      roles: ['org-admin'],
      locations: [],
    });
    await putMember(deps, admin, {
      sub: `${org.id}-c`,
      email: 'c@example.com',
      name: 'C',
      roles: ['referral-user'],
      locations: ['DE'],
    });
    expect(await raw(orgKeys.item(org.id))).toMatchObject({ adminCount: 2 });

    await putMember(deps, admin, {
      sub: `${org.id}-b`,
      email: 'b@example.com',
      name: 'B',
      roles: ['referrals-admin'],
      locations: [],
    });
    expect(await raw(orgKeys.item(org.id))).toMatchObject({ adminCount: 1 });
    expect(await raw(membershipKeys.item(`${org.id}-b`))).toMatchObject({
      version: 2,
      roles: ['referrals-admin'],
    });

    const seen: Membership[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await deps.memberships.listByOrg(org.id, { limit: 2, ...(after ? { after } : {}) });
      seen.push(...page.items);
      after = page.next;
    } while (after);
    expect(seen.map((m) => m.sub).sort()).toEqual([`${org.id}-b`, `${org.id}-c`, admin.sub].sort());

    await removeMember(deps, admin, { sub: `${org.id}-c` });
    expect(await deps.memberships.get(`${org.id}-c`)).toBeUndefined();
    await expect(removeMember(deps, admin, { sub: admin.sub })).rejects.toMatchObject({ code: 'last-admin' });
  });

  it('refuses a sub of another org on put (409) and answers 404 on remove', async () => {
    const one = await onboard();
    const two = await onboard();
    await expect(
      deps.memberships.put({ ...(await deps.memberships.get(two.admin.sub))!, orgId: one.org.id }),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'already-exists' });
    await expect(deps.memberships.remove(one.org.id, two.admin.sub)).rejects.toMatchObject({
      kind: 'not-found',
    });
    expect((await deps.memberships.get(two.admin.sub))?.orgId).toBe(two.org.id);
  });

  it('lets exactly one of two concurrent removals of the last two admins win', async () => {
    const { org, admin } = await onboard();
    const [second] = admins(1, `${org.id}-race`);
    await putMember(deps, admin, second!);

    const results = await Promise.allSettled([
      deps.memberships.remove(org.id, admin.sub),
      deps.memberships.remove(org.id, second!.sub),
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
    for (const other of others) await putMember(deps, admin, other);
    expect(await raw(orgKeys.item(org.id))).toMatchObject({ adminCount: 6 });

    const everyone = [admin.sub, ...others.map((o) => o.sub)];
    const results = await Promise.allSettled(
      everyone.map((sub, index) =>
        index % 2 === 0
          ? deps.memberships.remove(org.id, sub)
          : deps.memberships.put({
              sub,
              email: `${sub}@example.com`,
              name: 'Demoted',
              orgId: org.id,
              roles: ['referrals-admin'],
              locations: [],
              updatedAt: new Date().toISOString(),
            }),
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
