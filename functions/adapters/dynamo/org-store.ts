/**
 * Organizations and memberships on the single table (docs/data-model.md, patterns 7 and 9).
 *
 * - The org item keeps `adminCount` (active org-admins), so "never remove or demote the last
 *   org-admin" is a condition of the same TransactWriteItems that changes the membership. Which
 *   change takes an admin away is the domain's decision (`AdminCountChange`); this adapter only
 *   conditions the write.
 * - A member is one item per org and email (keys.ts); an active member also has a sub binding that
 *   carries a copy of the member and of its org's name, kind and capabilities, so resolving the
 *   caller on every request (`getActor`) is one GetItem. Orgs are never renamed through the API.
 * - The host guard (`INSTALLATION`/`HOST`) holds a copy of the host org: "exactly one host" is its
 *   put condition, and `getHost` is one GetItem.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type InvitationEmailMark,
  type InvitationEmailWrite,
  markExpiresAt,
} from '#domain/identity/invitation-email.ts';
import type { MemberStatus, Membership, Organization } from '#domain/identity/model.ts';
import type {
  AdminCountChange,
  MembershipStore,
  MemberWriteOutcome,
  OrgCreateOutcome,
  OrgStore,
} from '#domain/identity/ports.ts';
import type { Actor, Capability, ClientCaller, OrgKind, Role } from '#domain/kernel/actor.ts';
import type { Page, PageRequest } from '#domain/kernel/page.ts';
import { cancellationCodes, conditionFailed, isConditionFailure } from './errors.ts';
import { batchGet, getItem, type Item, notExists, queryIndex, type TransactItem } from './items.ts';
import { ENTITY, membershipKeys, orgKeys } from './keys.ts';
import { outboxItem } from './outbox.ts';
import { epochSeconds, TABLE_KEYS, TTL_ATTRIBUTE } from './table.ts';
import type { TableRef } from './table-ref.ts';

const ONE = 1;

// ---- item mapping ----

const orgItem = (org: Organization, adminCount: number): Item => ({
  ...orgKeys.item(org.id),
  ...(org.kind === 'partner' ? orgKeys.partnerByName(org.name, org.id) : {}),
  type: ENTITY.org,
  version: 1,
  id: org.id,
  name: org.name,
  kind: org.kind,
  capabilities: org.capabilities,
  createdAt: org.createdAt,
  adminCount,
});

const toOrganization = (item: Item): Organization => ({
  id: item.id as string,
  name: item.name as string,
  kind: item.kind as OrgKind,
  capabilities: (item.capabilities as Capability[] | undefined) ?? [],
  createdAt: item.createdAt as string,
  ...(typeof item.coSellReadySolutions === 'number'
    ? { coSellReadySolutions: item.coSellReadySolutions }
    : {}),
});

export type BindingItem = {
  sub: string;
  email: string;
  name: string;
  orgId: string;
  roles: Role[];
  locations: string[];
  orgName: string;
  orgKind: OrgKind;
  capabilities: Capability[];
  version: number;
  /** An API client's binding (api-client-store.ts): the client it names. */
  client?: ClientCaller;
};

const memberItem = (member: Membership): Item => ({
  ...membershipKeys.member(member.orgId, member.email),
  ...membershipKeys.byOrg(member.orgId, member.email),
  type: ENTITY.member,
  version: member.version,
  email: member.email,
  orgId: member.orgId,
  name: member.name,
  roles: member.roles,
  locations: member.locations,
  status: member.status,
  ...(member.sub === undefined ? {} : { sub: member.sub }),
  invitedAt: member.invitedAt,
  ...(member.joinedAt === undefined ? {} : { joinedAt: member.joinedAt }),
  updatedAt: member.updatedAt,
});

const toMembership = (item: Item): Membership => ({
  email: item.email as string,
  orgId: item.orgId as string,
  name: item.name as string,
  roles: item.roles as Role[],
  locations: (item.locations as string[] | undefined) ?? [],
  status: item.status as MemberStatus,
  ...(typeof item.sub === 'string' ? { sub: item.sub } : {}),
  invitedAt: item.invitedAt as string,
  ...(typeof item.joinedAt === 'string' ? { joinedAt: item.joinedAt } : {}),
  updatedAt: item.updatedAt as string,
  version: item.version as number,
});

/** The sub's binding to its active membership (or an API client): what `getActor` reads on every request. */
export const bindingItem = (binding: Actor, version: number): Item => ({
  ...membershipKeys.binding(binding.sub),
  type: binding.client ? ENTITY.clientBinding : ENTITY.membership,
  version,
  sub: binding.sub,
  email: binding.email,
  name: binding.name,
  orgId: binding.orgId,
  roles: binding.roles,
  locations: binding.locations,
  orgName: binding.orgName,
  orgKind: binding.orgKind,
  capabilities: binding.capabilities,
  ...(binding.client ? { client: binding.client } : {}),
});

/** A sub binding as the caller it names (also read by the deal store, with the items a request names). */
export const toActor = (item: BindingItem): Actor => ({
  sub: item.sub,
  email: item.email,
  name: item.name,
  orgId: item.orgId,
  orgName: item.orgName,
  orgKind: item.orgKind,
  capabilities: item.capabilities ?? [],
  roles: item.roles,
  locations: item.locations ?? [],
  membershipVersion: item.version,
  ...(item.client ? { client: item.client } : {}),
});

/** Kept an hour past its email (TTL); the rule compares `emailedAt`, since TTL removal lags. */
const invitationEmailItem = (mark: InvitationEmailMark): Item => ({
  ...membershipKeys.invitationEmail(mark.orgId, mark.email),
  type: ENTITY.invitationEmail,
  version: mark.version,
  orgId: mark.orgId,
  email: mark.email,
  emailedAt: mark.emailedAt,
  [TTL_ATTRIBUTE]: epochSeconds(markExpiresAt(mark)),
});

const toInvitationEmailMark = (item: Item): InvitationEmailMark => ({
  orgId: item.orgId as string,
  email: item.email as string,
  emailedAt: item.emailedAt as string,
  version: item.version as number,
});

// ---- stores ----

export class DynamoOrgStore implements OrgStore {
  constructor(private readonly table: TableRef) {}

  async get(orgId: string): Promise<Organization | undefined> {
    const item = await getItem(this.table, orgKeys.item(orgId));
    return item ? toOrganization(item) : undefined;
  }

  async getMany(orgIds: readonly string[]): Promise<Organization[]> {
    const items = await batchGet(
      this.table,
      [...new Set(orgIds)].map((orgId) => orgKeys.item(orgId)),
    );
    return items.flatMap((item) => (item ? [toOrganization(item)] : []));
  }

  async create(org: Organization, admin: Membership, binding: Actor): Promise<OrgCreateOutcome> {
    const { tableName, db } = this.table;
    const items: TransactItem[] = [
      { Put: { TableName: tableName, Item: orgItem(org, 1), ...notExists } },
      { Put: { TableName: tableName, Item: bindingItem(binding, admin.version), ...notExists } },
      { Put: { TableName: tableName, Item: memberItem(admin), ...notExists } },
    ];
    if (org.kind === 'host') {
      const guard = { ...orgKeys.hostGuard(), type: ENTITY.hostGuard, version: 1, ...org };
      items.push({ Put: { TableName: tableName, Item: guard, ...notExists } });
    }
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (conditionFailed(codes, 3)) return 'host-exists';
      if (conditionFailed(codes, 1)) return 'sub-bound';
      if (conditionFailed(codes, 0)) return 'exists';
      return 'stale';
    }
  }

  async searchPartners(prefix: string, page: PageRequest): Promise<Page<Organization>> {
    const result = await queryIndex(this.table, orgKeys.partnerSearch(prefix), page);
    return { items: result.items.map(toOrganization), ...(result.next ? { next: result.next } : {}) };
  }

  async getHost(): Promise<Organization | undefined> {
    const item = await getItem(this.table, orgKeys.hostGuard());
    return item ? toOrganization(item) : undefined;
  }

  async ping(): Promise<void> {
    const { db, tableName } = this.table;
    await db.send(new GetCommand({ TableName: tableName, Key: orgKeys.hostGuard() }));
  }
}

export class DynamoMembershipStore implements MembershipStore {
  constructor(private readonly table: TableRef) {}

  async getActor(sub: string): Promise<Actor | undefined> {
    // Strongly consistent: a removed or demoted member loses its rights on the very next request.
    const item = await getItem(this.table, membershipKeys.binding(sub));
    return item ? toActor(item as BindingItem) : undefined;
  }

  async get(orgId: string, email: string): Promise<Membership | undefined> {
    const item = await getItem(this.table, membershipKeys.member(orgId, email));
    return item ? toMembership(item) : undefined;
  }

  async listByOrg(orgId: string, page: PageRequest): Promise<Page<Membership>> {
    const result = await queryIndex(this.table, membershipKeys.orgPartition(orgId), page);
    return { items: result.items.map(toMembership), ...(result.next ? { next: result.next } : {}) };
  }

  async findInvitations(email: string): Promise<Membership[]> {
    const { db, tableName } = this.table;
    const { pk, skPrefix } = membershipKeys.emailPartition(email);
    const found: Membership[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          FilterExpression: '#status = :invited',
          ExpressionAttributeNames: {
            '#pk': TABLE_KEYS.partitionKey,
            '#sk': TABLE_KEYS.sortKey,
            '#status': 'status',
          },
          ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix, ':invited': 'invited' },
          ConsistentRead: true,
          ...(after ? { ExclusiveStartKey: after } : {}),
        }),
      );
      found.push(...(page.Items ?? []).map(toMembership));
      after = page.LastEvaluatedKey;
    } while (after);
    return found;
  }

  async getInvitationEmailMark(orgId: string, email: string): Promise<InvitationEmailMark | undefined> {
    const item = await getItem(this.table, membershipKeys.invitationEmail(orgId, email));
    return item && toInvitationEmailMark(item);
  }

  async invite(
    membership: Membership,
    email?: InvitationEmailWrite,
  ): Promise<'written' | 'exists' | 'stale'> {
    const { tableName } = this.table;
    if (!email) {
      try {
        await this.table.db.send(
          new PutCommand({ TableName: tableName, Item: memberItem(membership), ...notExists }),
        );
        return 'written';
      } catch (error) {
        if (isConditionFailure(error)) return 'exists';
        throw error;
      }
    }
    const items: TransactItem[] = [
      { Put: { TableName: tableName, Item: memberItem(membership), ...notExists } },
      {
        Put: {
          TableName: tableName,
          Item: invitationEmailItem(email.mark),
          ...(email.readVersion === undefined ? notExists : versionIs(email.readVersion)),
        },
      },
      { Put: { TableName: tableName, Item: outboxItem(email.event), ...notExists } },
    ];
    try {
      await this.table.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (conditionFailed(codes, 0)) return 'exists';
      // The mark moved under us (another invitation of the address), or the items were busy.
      return 'stale';
    }
  }

  async bind(active: Membership, binding: Actor, admins: AdminCountChange): Promise<'written' | 'stale'> {
    const { tableName } = this.table;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: memberItem(active),
          ConditionExpression: '#version = :version AND #status = :invited',
          ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
          ExpressionAttributeValues: { ':version': active.version - 1, ':invited': 'invited' },
        },
      },
      { Put: { TableName: tableName, Item: bindingItem(binding, active.version), ...notExists } },
      ...adminCountChange(tableName, active.orgId, admins),
    ];
    const outcome = await this.transact(items, admins);
    return outcome === 'written' ? 'written' : 'stale';
  }

  async update(
    next: Membership,
    binding: Actor | undefined,
    admins: AdminCountChange,
  ): Promise<MemberWriteOutcome> {
    const { tableName } = this.table;
    const items: TransactItem[] = [
      { Put: { TableName: tableName, Item: memberItem(next), ...versionIs(next.version - 1) } },
      ...(binding ? [{ Put: { TableName: tableName, Item: bindingItem(binding, next.version) } }] : []),
      ...adminCountChange(tableName, next.orgId, admins),
    ];
    return this.transact(items, admins);
  }

  async remove(
    current: Membership,
    boundSub: string | undefined,
    admins: AdminCountChange,
  ): Promise<MemberWriteOutcome> {
    const { tableName } = this.table;
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: tableName,
          Key: membershipKeys.member(current.orgId, current.email),
          ...versionIs(current.version),
        },
      },
      ...(boundSub === undefined
        ? []
        : [{ Delete: { TableName: tableName, Key: membershipKeys.binding(boundSub) } }]),
      ...adminCountChange(tableName, current.orgId, admins),
    ];
    return this.transact(items, admins);
  }

  /** The org's admin count is always the last item; a failed `-1` condition there is `last-admin`. */
  private async transact(items: TransactItem[], admins: AdminCountChange): Promise<MemberWriteOutcome> {
    try {
      await this.table.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (admins < 0 && conditionFailed(codes, items.length - 1)) return 'last-admin';
      // The member changed under us, or another transaction held the items: the caller reads again.
      return 'stale';
    }
  }
}

const versionIs = (version: number) => ({
  ConditionExpression: '#version = :version',
  ExpressionAttributeNames: { '#version': 'version' },
  ExpressionAttributeValues: { ':version': version },
});

/** The org side of a membership change: nothing, or `adminCount` moved (never below one). */
const adminCountChange = (tableName: string, orgId: string, delta: AdminCountChange): TransactItem[] => {
  if (delta === 0) return [];
  return [
    {
      Update: {
        TableName: tableName,
        Key: orgKeys.item(orgId),
        UpdateExpression: 'SET adminCount = adminCount + :delta',
        ConditionExpression: delta < 0 ? 'adminCount > :one' : 'attribute_exists(#pk)',
        ...(delta < 0 ? {} : { ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey } }),
        ExpressionAttributeValues: { ':delta': delta, ...(delta < 0 ? { ':one': ONE } : {}) },
      },
    },
  ];
};
