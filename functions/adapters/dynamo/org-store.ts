/**
 * Organizations and memberships on the single table (docs/data-model.md, patterns 7 and 9).
 *
 * - The org item keeps `adminCount`, so "never remove or demote the last org-admin" is a condition
 *   of the same TransactWriteItems that changes the membership.
 * - The membership item carries a copy of its org's name, kind and capabilities, so resolving the
 *   caller on every request (`getActor`) is one GetItem. Orgs are never renamed through the API.
 * - The host guard (`INSTALLATION`/`HOST`) holds a copy of the host org: "exactly one host" is its
 *   put condition, and `getHost` is one GetItem.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Actor } from '#domain/actor.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '#domain/errors.ts';
import type { Capability, Membership, Organization, OrgKind, Role } from '#domain/model.ts';
import type { MembershipStore, OrgStore, Page, PageRequest } from '#domain/ports.ts';
import { ENTITY, membershipKeys, orgKeys } from './keys.ts';
import { type IndexName, indexByName, TABLE_KEYS } from './table.ts';
import type { TableRef } from './table-ref.ts';

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

// ---- helpers shared by the identity and directory adapters ----

/** One Query page on an index: the partition, optionally a sort-key prefix, optionally a filter. */
export const queryIndex = async (
  { db, tableName }: TableRef,
  indexName: IndexName,
  key: { partition: string; prefix?: string },
  page: PageRequest,
  filter?: Pick<
    QueryCommandInput,
    'FilterExpression' | 'ExpressionAttributeValues' | 'ExpressionAttributeNames'
  >,
): Promise<{ items: Item[]; next?: Record<string, unknown> }> => {
  const index = indexByName(indexName);
  const withPrefix = key.prefix !== undefined && key.prefix !== '';
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: withPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
      ExpressionAttributeNames: {
        '#pk': index.partitionKey,
        ...(withPrefix ? { '#sk': index.sortKey } : {}),
        ...filter?.ExpressionAttributeNames,
      },
      ExpressionAttributeValues: {
        ':pk': key.partition,
        ...(withPrefix ? { ':prefix': key.prefix } : {}),
        ...filter?.ExpressionAttributeValues,
      },
      ...(filter?.FilterExpression ? { FilterExpression: filter.FilterExpression } : {}),
      Limit: page.limit,
      ...(page.after ? { ExclusiveStartKey: page.after } : {}),
    }),
  );
  return { items: result.Items ?? [], ...(result.LastEvaluatedKey ? { next: result.LastEvaluatedKey } : {}) };
};

/** The cancellation code of each transaction item, or undefined when the error is no cancellation. */
export const cancellationCodes = (error: unknown): (string | undefined)[] | undefined =>
  error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? []).map((reason) => reason.Code)
    : undefined;

export const conditionFailed = (codes: (string | undefined)[], index: number): boolean =>
  codes[index] === 'ConditionalCheckFailed';

/** Thrown inside an attempt when a concurrent writer won: the attempt re-reads and tries again. */
class Contended extends Error {}

const MAX_ATTEMPTS = 8;

/** Runs read-check-write attempts until one commits or throws a domain error. */
const withRetries = async <T>(attempt: () => Promise<T>): Promise<T> => {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof Contended) || round >= MAX_ATTEMPTS) {
        if (error instanceof Contended)
          throw new ConflictError('concurrent-update', 'Too many concurrent changes; retry.');
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * round));
    }
  }
};

const ONE = 1;

// ---- item mapping ----

type OrgItem = Organization & { adminCount: number; version: number };

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
});

type MembershipItem = Membership & {
  version: number;
  orgName: string;
  orgKind: OrgKind;
  capabilities: Capability[];
};

const membershipItem = (membership: Membership, org: Organization, version: number): Item => ({
  ...membershipKeys.item(membership.sub),
  ...membershipKeys.byOrg(membership.orgId, membership.sub),
  type: ENTITY.membership,
  version,
  sub: membership.sub,
  email: membership.email,
  name: membership.name,
  orgId: membership.orgId,
  roles: membership.roles,
  locations: membership.locations,
  updatedAt: membership.updatedAt,
  orgName: org.name,
  orgKind: org.kind,
  capabilities: org.capabilities,
});

const toMembership = (item: Item): Membership => ({
  sub: item.sub as string,
  email: item.email as string,
  name: item.name as string,
  orgId: item.orgId as string,
  roles: item.roles as Role[],
  locations: (item.locations as string[] | undefined) ?? [],
  updatedAt: item.updatedAt as string,
});

const toActor = (item: MembershipItem): Actor => ({
  sub: item.sub,
  email: item.email,
  name: item.name,
  orgId: item.orgId,
  orgName: item.orgName,
  orgKind: item.orgKind,
  capabilities: item.capabilities ?? [],
  roles: item.roles,
  locations: item.locations ?? [],
});

const isAdmin = (roles: readonly Role[] | undefined): boolean => roles?.includes('org-admin') ?? false;

const getItem = async ({ db, tableName }: TableRef, key: Item): Promise<Item | undefined> =>
  (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

const notExists = {
  ConditionExpression: 'attribute_not_exists(#pk)',
  ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
};

// ---- stores ----

export class DynamoOrgStore implements OrgStore {
  constructor(private readonly table: TableRef) {}

  async get(orgId: string): Promise<Organization | undefined> {
    const item = await getItem(this.table, orgKeys.item(orgId));
    return item ? toOrganization(item) : undefined;
  }

  async create(org: Organization, admin: Membership): Promise<void> {
    const { tableName, db } = this.table;
    const items: TransactItem[] = [
      { Put: { TableName: tableName, Item: orgItem(org, isAdmin(admin.roles) ? 1 : 0), ...notExists } },
      { Put: { TableName: tableName, Item: membershipItem(admin, org, 1), ...notExists } },
    ];
    if (org.kind === 'host') {
      const guard = { ...orgKeys.hostGuard(), type: ENTITY.hostGuard, version: 1, ...org };
      items.push({ Put: { TableName: tableName, Item: guard, ...notExists } });
    }
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (conditionFailed(codes, 2)) {
        throw new ConflictError('already-exists', 'This installation already has a host organization.');
      }
      if (conditionFailed(codes, 1)) {
        throw new ConflictError('already-exists', `User ${admin.sub} already belongs to an organization.`);
      }
      if (conditionFailed(codes, 0))
        throw new ConflictError('already-exists', `Organization ${org.id} exists.`);
      throw new ConflictError('concurrent-update', 'A concurrent change interfered; retry.');
    }
  }

  async searchPartners(prefix: string, page: PageRequest): Promise<Page<Organization>> {
    const { gsi1pk, gsi1skPrefix } = orgKeys.partnerSearch(prefix);
    const result = await queryIndex(this.table, 'gsi1', { partition: gsi1pk, prefix: gsi1skPrefix }, page);
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
    const { db, tableName } = this.table;
    // Strongly consistent: a removed or demoted member loses its rights on the very next request.
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: membershipKeys.item(sub), ConsistentRead: true }),
    );
    return Item ? toActor(Item as MembershipItem) : undefined;
  }

  async get(sub: string): Promise<Membership | undefined> {
    const item = await getItem(this.table, membershipKeys.item(sub));
    return item ? toMembership(item) : undefined;
  }

  async listByOrg(orgId: string, page: PageRequest): Promise<Page<Membership>> {
    const { gsi1pk } = membershipKeys.orgPartition(orgId);
    const result = await queryIndex(this.table, 'gsi1', { partition: gsi1pk }, page);
    return { items: result.items.map(toMembership), ...(result.next ? { next: result.next } : {}) };
  }

  put(membership: Membership): Promise<void> {
    return withRetries(async () => {
      const [current, orgRecord] = await Promise.all([
        getItem(this.table, membershipKeys.item(membership.sub)) as Promise<MembershipItem | undefined>,
        getItem(this.table, orgKeys.item(membership.orgId)) as Promise<OrgItem | undefined>,
      ]);
      if (!orgRecord) throw new NotFoundError('Organization');
      if (current && current.orgId !== membership.orgId) {
        throw new ConflictError('already-exists', `User ${membership.sub} belongs to another organization.`);
      }
      const demotes = isAdmin(current?.roles) && !isAdmin(membership.roles);
      const promotes = !isAdmin(current?.roles) && isAdmin(membership.roles);
      if (demotes && orgRecord.adminCount <= ONE) throw lastAdmin();

      const org = toOrganization(orgRecord);
      const { tableName } = this.table;
      const put: TransactItem = {
        Put: {
          TableName: tableName,
          Item: membershipItem(membership, org, (current?.version ?? 0) + 1),
          ...(current ? versionIs(current.version) : notExists),
        },
      };
      await this.transact(
        [put, adminCountChange(tableName, membership.orgId, demotes ? -1 : promotes ? 1 : 0)],
        demotes,
      );
    });
  }

  remove(orgId: string, sub: string): Promise<void> {
    return withRetries(async () => {
      const current = (await getItem(this.table, membershipKeys.item(sub))) as MembershipItem | undefined;
      if (!current || current.orgId !== orgId) throw new NotFoundError('Member');
      const demotes = isAdmin(current.roles);
      const { tableName } = this.table;
      const del: TransactItem = {
        Delete: { TableName: tableName, Key: membershipKeys.item(sub), ...versionIs(current.version) },
      };
      await this.transact([del, adminCountChange(tableName, orgId, demotes ? -1 : 0)], demotes);
    });
  }

  /** Item 0 is the membership write, item 1 the org's admin count; maps cancellations to outcomes. */
  private async transact(items: TransactItem[], demotes: boolean): Promise<void> {
    try {
      await this.table.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (demotes && conditionFailed(codes, 1)) throw lastAdmin();
      // The membership changed under us, or another transaction held the items: read again.
      throw new Contended();
    }
  }
}

const lastAdmin = () =>
  new BusinessRuleError(
    'last-admin',
    'The organization must keep at least one org-admin; appoint another first.',
  );

const versionIs = (version: number) => ({
  ConditionExpression: '#version = :version',
  ExpressionAttributeNames: { '#version': 'version' },
  ExpressionAttributeValues: { ':version': version },
});

/** The org side of a membership change: adjust `adminCount` (never below one) or just check the org exists. */
const adminCountChange = (tableName: string, orgId: string, delta: -1 | 0 | 1): TransactItem => {
  const Key = orgKeys.item(orgId);
  if (delta === 0) {
    return {
      ConditionCheck: {
        TableName: tableName,
        Key,
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
      },
    };
  }
  return {
    Update: {
      TableName: tableName,
      Key,
      UpdateExpression: 'SET adminCount = adminCount + :delta',
      ConditionExpression: delta < 0 ? 'adminCount > :one' : 'attribute_exists(#pk)',
      ...(delta < 0 ? {} : { ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey } }),
      ExpressionAttributeValues: { ':delta': delta, ...(delta < 0 ? { ':one': ONE } : {}) },
    },
  };
};
