/**
 * Every key format of the single table, and nothing else. Each function returns the attributes an
 * item (or a query) needs; adapters spread them into items and never build key strings themselves.
 * The access-pattern table in docs/data-model.md lists the same templates.
 */
import type { DealStatus, Direction } from '#domain/deals/model.ts';
import type { SolutionKind } from '#domain/directory/model.ts';
import type { IndexQuery } from './items.ts';
import { type IndexName, indexByName } from './table.ts';

/** An item's keys on one index, under the attribute names table.ts declares for it. */
const onIndex = (index: IndexName, partition: string, sort: string): Record<string, string> => {
  const { partitionKey, sortKey } = indexByName(index);
  return { [partitionKey]: partition, [sortKey]: sort };
};

/**
 * The due-time partitions of gsi4 (invitations with an action due, owed comment digests, pending
 * webhook deliveries) take those writes of the whole platform, in time order: DynamoDB cannot split
 * a partition whose sort keys only grow, so one would cap them at 1,000 WCU/s. Each is spread over
 * shards by a hash of the item's own id (stable while the item is due), as many as its projected
 * peak needs for 10× headroom (docs/capacity.md), and the sweeps read every shard.
 */
export const DUE_SHARDS = { RECEIVED: 8, 'COMMENT-DIGESTS': 8, 'WEBHOOK-DELIVERIES': 32 } as const;
type DuePartition = keyof typeof DUE_SHARDS;

/** FNV-1a: a fast, stable spread of ids over the shards (not a security property). */
const shardOf = (id: string, shards: number): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shards;
};

const duePartition = (name: DuePartition, id: string): string => `${name}#${shardOf(id, DUE_SHARDS[name])}`;

/**
 * Every partition a sweep of `name` reads: each shard, and first the unsharded partition that items
 * written before the sharding still sit in until they are settled.
 */
const duePartitions = (name: DuePartition): string[] => [
  name,
  ...Array.from({ length: DUE_SHARDS[name] }, (_, shard) => `${name}#${shard}`),
];

/** Sort-key prefix match needs a case-insensitive, trimmed form of names. */
export const nameKey = (name: string): string => name.trim().toLowerCase();

export const ENTITY = {
  org: 'Org',
  hostGuard: 'HostGuard',
  membership: 'Membership',
  apiClient: 'ApiClient',
  clientBinding: 'ClientBinding',
  member: 'Member',
  customer: 'Customer',
  dunsGuard: 'DunsGuard',
  solution: 'Solution',
  deal: 'Deal',
  engagement: 'Engagement',
  sharedTeam: 'SharedTeam',
  favorite: 'Favorite',
  history: 'History',
  comment: 'Comment',
  commentDigest: 'CommentDigest',
  answer: 'InvitationAnswer',
  outbox: 'Outbox',
  delivery: 'OutboxDelivery',
  parked: 'ParkedRecord',
  idempotency: 'IdempotencyRecord',
  responsiveness: 'Responsiveness',
  signal: 'AnswerSignal',
  attachment: 'Attachment',
  webhook: 'Webhook',
  webhookDelivery: 'WebhookDelivery',
  counter: 'Counter',
  invitationRate: 'InvitationRate',
  invitationEmail: 'InvitationEmail',
  exportJob: 'ExportJob',
} as const;

export const orgKeys = {
  item: (orgId: string) => ({ pk: `ORG#${orgId}`, sk: 'ORG' }),
  /** Only partner orgs carry gsi1 keys, so the partner search never sees the host. */
  partnerByName: (name: string, orgId: string) => onIndex('gsi1', 'PARTNERS', `${nameKey(name)}#${orgId}`),
  partnerSearch: (prefix: string): IndexQuery => ({
    index: 'gsi1',
    partition: 'PARTNERS',
    prefix: nameKey(prefix),
  }),
  /** Singleton that makes "exactly one host org" a condition, and finds the host with one GetItem. */
  hostGuard: () => ({ pk: 'INSTALLATION', sk: 'HOST' }),
};

/**
 * A member is one item per org and email, in the email's partition: the sign-in path reads every
 * org's invitation of an address with one strongly consistent Query, and an org finds its member by
 * email with one GetItem. An active member also has its sub binding, the item `getActor` reads on
 * every request (one GetItem); both are written in the same transactions.
 */
export const membershipKeys = {
  member: (orgId: string, email: string) => ({ pk: `EMAIL#${nameKey(email)}`, sk: `MEMBER#${orgId}` }),
  emailPartition: (email: string) => ({ pk: `EMAIL#${nameKey(email)}`, skPrefix: 'MEMBER#' }),
  byOrg: (orgId: string, email: string) => onIndex('gsi1', `ORG#${orgId}#USERS`, nameKey(email)),
  orgPartition: (orgId: string): IndexQuery => ({ index: 'gsi1', partition: `ORG#${orgId}#USERS` }),
  /** Where a signed-in sub finds its membership. */
  binding: (sub: string) => ({ pk: `USER#${sub}`, sk: 'MEMBERSHIP' }),
  /**
   * When an org last emailed an invitation to the address: beside its member items, outside the
   * `MEMBER#` prefix, and kept when the member is removed (the hourly email limit outlives it).
   */
  invitationEmail: (orgId: string, email: string) => ({
    pk: `EMAIL#${nameKey(email)}`,
    sk: `INVITEMAIL#${orgId}`,
  }),
};

/**
 * An org's API clients live in the org's partition, so its list is one Query; each client's tokens
 * find their caller through a binding like a person's (`membershipKeys.binding`).
 */
export const apiClientKeys = {
  item: (orgId: string, id: string) => ({ pk: `ORG#${orgId}`, sk: `APICLIENT#${id}` }),
  orgPartition: (orgId: string) => ({ pk: `ORG#${orgId}`, skPrefix: 'APICLIENT#' }),
};

/** An org's export jobs live in the org's partition: a job is read by its org and id, never listed. */
export const exportKeys = {
  item: (orgId: string, id: string) => ({ pk: `ORG#${orgId}`, sk: `EXPORT#${id}` }),
};

export const customerKeys = {
  item: (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'CUSTOMER' }),
  byName: (country: string, name: string, customerId: string) =>
    onIndex('gsi1', `CUSTOMERS#${country}`, `${nameKey(name)}#${customerId}`),
  nameSearch: (country: string, prefix: string): IndexQuery => ({
    index: 'gsi1',
    partition: `CUSTOMERS#${country}`,
    prefix: nameKey(prefix),
  }),
  byDuns: (duns: string, customerId: string) => onIndex('gsi2', `DUNS#${duns}`, customerId),
  dunsPartition: (duns: string): IndexQuery => ({ index: 'gsi2', partition: `DUNS#${duns}` }),
  /** Uniqueness guard: one item per D-U-N-S number, written in the same transaction as the customer. */
  dunsGuard: (duns: string) => ({ pk: `DUNS#${duns}`, sk: 'DUNS' }),
};

export const solutionKeys = {
  item: (solutionId: string) => ({ pk: `SOLUTION#${solutionId}`, sk: 'SOLUTION' }),
  byOwner: (ownerOrgId: string, solutionId: string) =>
    onIndex('gsi1', `ORG#${ownerOrgId}#SOLUTIONS`, solutionId),
  ownerPartition: (ownerOrgId: string): IndexQuery => ({
    index: 'gsi1',
    partition: `ORG#${ownerOrgId}#SOLUTIONS`,
  }),
  byKind: (kind: SolutionKind, solutionId: string) => onIndex('gsi2', `SOLUTIONS#${kind}`, solutionId),
  kindPartition: (kind: SolutionKind): IndexQuery => ({ index: 'gsi2', partition: `SOLUTIONS#${kind}` }),
};

/** The address comes last, so no address can name another owner's partition. */
const ownerPartition = (orgId: string, owner: string | undefined): string =>
  owner === undefined ? `ORG#${orgId}#UNOWNED` : `ORG#${orgId}#OWNER#${nameKey(owner)}`;

/**
 * Each org's copy of a deal is keyed by its own id (deal ids are unique across orgs), in the deal's
 * partition beside its history: a request names every item it needs (the caller's binding, the deal,
 * the caller's mark) by the sub and the path alone, so one BatchGetItem reads them together. The org
 * is an attribute and part of every index key, which serve the org's lists.
 */
export const dealKeys = {
  item: (dealId: string) => ({ pk: `DEAL#${dealId}`, sk: 'DEAL' }),
  /** Deal ids are ULIDs, so sorting on them descending lists the newest first. */
  byDirection: (orgId: string, direction: Direction, dealId: string) =>
    onIndex('gsi1', `ORG#${orgId}#DEALS#${direction}`, dealId),
  directionPartition: (orgId: string, direction: Direction): IndexQuery => ({
    index: 'gsi1',
    partition: `ORG#${orgId}#DEALS#${direction}`,
  }),
  byDirectionAndStatus: (orgId: string, direction: Direction, status: DealStatus, dealId: string) =>
    onIndex('gsi2', `ORG#${orgId}#DEALS#${direction}#${status}`, dealId),
  directionStatusPartition: (orgId: string, direction: Direction, status: DealStatus): IndexQuery => ({
    index: 'gsi2',
    partition: `ORG#${orgId}#DEALS#${direction}#${status}`,
  }),
  /**
   * Sparse: only `received` deals carry these, keyed by the invitation's next action (its reminder,
   * then its expiry), so the expiry job reads the invitations it must act on and nothing else.
   */
  byNextInvitationAction: (actionAt: string, orgId: string, dealId: string) =>
    onIndex('gsi4', duePartition('RECEIVED', dealId), `${actionAt}#${orgId}#${dealId}`),
  /**
   * Every deal of the org by its last change: `updatedAt` is a fixed-width ISO instant, so the sort
   * key orders changes in time, and a change moves the deal's one entry to the end.
   */
  byLastChange: (orgId: string, updatedAt: string, dealId: string) =>
    onIndex('gsi5', `ORG#${orgId}#CHANGES`, `${updatedAt}#${dealId}`),
  /** Entries changed from `since` up to and including `until` ('$' sorts after '#'). */
  changesBetween: (orgId: string, since: string, until: string): IndexQuery => ({
    index: 'gsi5',
    partition: `ORG#${orgId}#CHANGES`,
    from: since,
    below: `${until}$`,
  }),
  /**
   * Every deal of the org by its owner (a normalized email) or, unowned, in the org's unowned
   * partition, each direction a sort-key prefix; deal ids are ULIDs, so descending is newest first.
   */
  byOwner: (orgId: string, owner: string | undefined, direction: Direction, dealId: string) =>
    onIndex('gsi3', ownerPartition(orgId, owner), `${direction}#${dealId}`),
  ownerPartition: (orgId: string, owner: string | undefined, direction: Direction): IndexQuery => ({
    index: 'gsi3',
    partition: ownerPartition(orgId, owner),
    prefix: `${direction}#`,
  }),
  /** Sparse: only deals carrying the org's own CRM id. The id comes last, so any character in it is safe. */
  byCrmId: (orgId: string, crmId: string, dealId: string) =>
    onIndex('gsi6', `ORG#${orgId}#CRM#${crmId}`, dealId),
  crmIdPartition: (orgId: string, crmId: string): IndexQuery => ({
    index: 'gsi6',
    partition: `ORG#${orgId}#CRM#${crmId}`,
  }),
  /** Sort keys below `<instant>$` are invitations whose next action is due at or before the instant ('$' sorts after '#'); one Query a shard. */
  invitationActionsBefore: (instant: string): IndexQuery[] =>
    duePartitions('RECEIVED').map((partition) => ({ index: 'gsi4', partition, below: `${instant}$` })),
};

export const engagementKeys = {
  item: (engagementId: string) => ({ pk: `ENG#${engagementId}`, sk: 'ENGAGEMENT' }),
  /** How often one org was invited to the engagement lately (the invitation limits). */
  invitationRate: (engagementId: string, orgId: string) => ({
    pk: `ENG#${engagementId}`,
    sk: `INVITATION-RATE#${orgId}`,
  }),
  /** What one org shares of its deal team with the engagement: addressable from the deal's copy. */
  sharedTeam: (engagementId: string, orgId: string) => ({ pk: `ENG#${engagementId}`, sk: `TEAM#${orgId}` }),
};

export const favoriteKeys = {
  item: (sub: string, dealId: string) => ({ pk: `USER#${sub}`, sk: `FAV#${dealId}` }),
  byTime: (sub: string, favoritedAt: string, dealId: string) =>
    onIndex('gsi1', `USER#${sub}#FAVS`, `${favoritedAt}#${dealId}`),
  userPartition: (sub: string): IndexQuery => ({ index: 'gsi1', partition: `USER#${sub}#FAVS` }),
};

export const historyKeys = {
  item: (dealId: string, entryId: string) => ({ pk: `DEAL#${dealId}`, sk: `HIST#${entryId}` }),
  dealPartition: (dealId: string) => ({ pk: `DEAL#${dealId}`, skPrefix: 'HIST#' }),
};

/**
 * Comments live in their engagement's partition beside the engagement item: every org's deal of the
 * engagement reads the same engagement comments, and ULID ids make newest first a descending Query.
 */
export const commentKeys = {
  item: (engagementId: string, commentId: string) => ({
    pk: `ENG#${engagementId}`,
    sk: `COMMENT#${commentId}`,
  }),
  engagementPartition: (engagementId: string) => ({ pk: `ENG#${engagementId}`, skPrefix: 'COMMENT#' }),
  /** One mark per recipient deal: when its people were last mailed a comment digest. */
  digest: (dealId: string) => ({ pk: `DEAL#${dealId}`, sk: 'COMMENT-DIGEST' }),
  /**
   * Sparse on gsi4 while the mark owes a digest, keyed by its due time, in a partition of its own
   * beside the expiry job's: the sweep reads the digests it must send and nothing else.
   */
  digestDue: (dueAt: string, dealId: string) =>
    onIndex('gsi4', duePartition('COMMENT-DIGESTS', dealId), `${dueAt}#${dealId}`),
  /** Sort keys below `<instant>$` are digests due at or before the instant ('$' sorts after '#'); one Query a shard. */
  digestsDueBefore: (instant: string): IndexQuery[] =>
    duePartitions('COMMENT-DIGESTS').map((partition) => ({ index: 'gsi4', partition, below: `${instant}$` })),
};

/** One item per answered invitation, per invitee org, by answer time: responsiveness over a time window. */
export const answerKeys = {
  item: (orgId: string, answeredAt: string, dealId: string) => ({
    pk: `ORG#${orgId}#ANSWERS`,
    sk: `${answeredAt}#${dealId}`,
  }),
  orgPartition: (orgId: string) => ({ pk: `ORG#${orgId}#ANSWERS` }),
};

/**
 * The transactional outbox: one item per domain event, inserted with the change it reports. The
 * table's stream delivers the insert to the notification consumer.
 */
export const outboxKeys = {
  item: (eventId: string) => ({ pk: `OUTBOX#${eventId}`, sk: 'EVENT' }),
};

/**
 * An outbox event a stream consumer failed to handle, kept until `npm run ops -- redrive` runs it
 * again (docs/observability.md). All of them share one partition: they are rare, and the operator
 * reads them all (or one consumer's, by sort-key prefix) with one Query.
 */
export const parkedKeys = {
  partition: () => ({ pk: 'PARKED' }),
  item: (consumer: string, eventId: string) => ({ pk: 'PARKED', sk: `${consumer}#${eventId}` }),
  consumerPrefix: (consumer: string) => `${consumer}#`,
};

/**
 * One record per `Idempotency-Key` of a user (docs/api.md): the key is scoped to the caller's org and
 * sub, so nobody reaches another user's response by guessing its key. The user is the partition
 * and the key the sort key, so no choice of key can name another user's record; busy orgs never
 * share a hot partition. Expires through TTL.
 */
export const idempotencyKeys = {
  item: (orgId: string, sub: string, key: string) => ({
    pk: `ORG#${orgId}#USER#${sub}#IDEMPOTENCY`,
    sk: `KEY#${key}`,
  }),
};

/**
 * What the notification consumer has done for one outbox item, one item per channel (`publish`,
 * `email:<recipient>`), beside the outbox item in its partition. Their type is not `Outbox`, so the
 * stream filter never hands them to the consumer.
 */
export const deliveryKeys = {
  item: (eventId: string, channel: string) => ({ pk: `OUTBOX#${eventId}`, sk: `DELIVERY#${channel}` }),
};

/**
 * Answer counters of one invitee org for one month (`YYYY-MM`): attributes per day and bucket, kept
 * with atomic ADDs in each answer's transaction. A month item stays small and expires by TTL.
 */
export const responsivenessKeys = {
  month: (orgId: string, month: string) => ({ pk: `ORG#${orgId}`, sk: `RESPONSIVENESS#${month}` }),
  /** Counter attribute names of one day (`DD`). */
  total: (day: string) => `t${day}`,
  answered: (day: string) => `a${day}`,
  bucket: (day: string, bucket: number) => `b${day}_${bucket}`,
  /** The bucket a counter attribute name of `bucket(day, n)` counts, or undefined for any other name. */
  bucketOf: (name: string, day: string): number | undefined => {
    const prefix = `b${day}_`;
    return name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length))
      ? Number(name.slice(prefix.length))
      : undefined;
  },
};

/**
 * One invitee org's answer signals for one feature value of the deals it was offered (the location,
 * a solution, a solution kind, the help asked, the value band): counters and decayed weights kept
 * with atomic ADDs in each answer's transaction. The feature value is the partition, so the orgs
 * that answered deals with that value are one Query, however many answers they gave.
 */
export const signalKeys = {
  item: (feature: string, value: string, orgId: string) => ({
    pk: `SIGNAL#${feature}#${value}`,
    sk: `ORG#${orgId}`,
  }),
  partition: (feature: string, value: string) => ({ pk: `SIGNAL#${feature}#${value}`, skPrefix: 'ORG#' }),
  /** Attribute names: the count of an outcome, and its weight in one era (a year). */
  count: (outcome: string) => `c_${outcome}`,
  weight: (outcome: string, era: string) => `w_${outcome}_${era}`,
};

/**
 * Release 1 kept each deal copy in its org's partition (`ORG#<orgId>` / `DEAL#<dealId>`). Only the
 * one-off migration (infra/scripts/migrate-deal-keys.ts) reads that layout, to rewrite it.
 */
export const legacyDealKeys = {
  item: (orgId: string, dealId: string) => ({ pk: `ORG#${orgId}`, sk: `DEAL#${dealId}` }),
  /** A deal item still in the old layout has a partition and sort key starting with these. */
  pkPrefix: 'ORG#',
  skPrefix: 'DEAL#',
};

/**
 * An attachment's record, beside its deal's history in the deal's own partition (deal ids are
 * unique, so the org is an attribute): one Query lists a deal's attachments, one GetItem finds one.
 */
export const attachmentKeys = {
  item: (dealId: string, attachmentId: string) => ({
    pk: `DEAL#${dealId}`,
    sk: `ATTACHMENT#${attachmentId}`,
  }),
  dealPartition: (dealId: string) => ({ pk: `DEAL#${dealId}`, skPrefix: 'ATTACHMENT#' }),
  /** How many attachments the deal holds (counters.ts); outside the `ATTACHMENT#` prefix. */
  counter: (dealId: string) => ({ pk: `DEAL#${dealId}`, sk: 'COUNTER#ATTACHMENTS' }),
};

/**
 * An org's webhook endpoints, in a partition of their own (a handful per org: one strongly
 * consistent Query lists them for every event the org receives).
 */
export const webhookKeys = {
  item: (orgId: string, webhookId: string) => ({ pk: `ORG#${orgId}#WEBHOOKS`, sk: `WEBHOOK#${webhookId}` }),
  orgPartition: (orgId: string) => ({ pk: `ORG#${orgId}#WEBHOOKS`, skPrefix: 'WEBHOOK#' }),
  /** How many endpoints the org holds (counters.ts); outside the `WEBHOOK#` prefix. */
  counter: (orgId: string) => ({ pk: `ORG#${orgId}#WEBHOOKS`, sk: 'COUNTER' }),
};

/**
 * One item per delivery in its endpoint's partition; delivery ids are ULIDs (an outbox event's id,
 * or a redelivery's own), so a descending Query lists the newest first. Sparse on gsi4 while
 * pending, keyed by the next attempt's due time, in a partition of its own beside the expiry job's.
 */
export const webhookDeliveryKeys = {
  item: (webhookId: string, deliveryId: string) => ({
    pk: `WEBHOOK#${webhookId}`,
    sk: `DELIVERY#${deliveryId}`,
  }),
  webhookPartition: (webhookId: string) => ({ pk: `WEBHOOK#${webhookId}`, skPrefix: 'DELIVERY#' }),
  byDueTime: (dueAt: string, webhookId: string, deliveryId: string) =>
    onIndex('gsi4', duePartition('WEBHOOK-DELIVERIES', deliveryId), `${dueAt}#${webhookId}#${deliveryId}`),
  /** Sort keys below `<instant>$` are deliveries due at or before the instant ('$' sorts after '#'); one Query a shard. */
  dueBefore: (instant: string): IndexQuery[] =>
    duePartitions('WEBHOOK-DELIVERIES').map((partition) => ({
      index: 'gsi4',
      partition,
      below: `${instant}$`,
    })),
};
