/**
 * The single table's shape, declared once. The CDK data stack, the local runtime's CreateTable and
 * the adapters all derive from this module, so the attribute names cannot drift apart.
 */

/**
 * gsi3 keeps the name, keys and projection the deployed table has always given it, so serving deal
 * owners from it changes no index on upgrade; only what its keys hold changed (they held every deal
 * of an engagement, which no read asked for: docs/decisions/0165-gsi3-serves-deal-owners.md).
 */
export type IndexName = 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4' | 'gsi5' | 'gsi6';

export type IndexDefinition = { name: IndexName; partitionKey: string; sortKey: string; purpose: string };

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Items with this attribute (epoch seconds) are removed by DynamoDB TTL: outbox and idempotency records. */
export const TTL_ATTRIBUTE = 'ttl';

/**
 * An instant as DynamoDB TTL counts time: whole epoch seconds, rounded down. Every TTL value and
 * every condition compared with one goes through this, so they agree to the second.
 */
export const epochSeconds = (at: Date | string | number): number => Math.floor(new Date(at).getTime() / 1000);

export const INDEXES: readonly IndexDefinition[] = [
  {
    name: 'gsi1',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    purpose:
      'lists: org deals by direction, org users, solutions by owner, partners and customers by name, favorites',
  },
  {
    name: 'gsi2',
    partitionKey: 'gsi2pk',
    sortKey: 'gsi2sk',
    purpose: 'filtered lists: org deals by direction and status, solutions by kind, customers by D-U-N-S',
  },
  {
    name: 'gsi3',
    partitionKey: 'gsi3pk',
    sortKey: 'gsi3sk',
    purpose: 'owners: org deals by owner (or unowned) and direction',
  },
  {
    name: 'gsi4',
    partitionKey: 'gsi4pk',
    sortKey: 'gsi4sk',
    purpose:
      'sparse due times: received deals by next invitation action (expiry job), pending webhook deliveries by next attempt (delivery job), owed comment digests by due time (expiry job)',
  },
  {
    name: 'gsi5',
    partitionKey: 'gsi5pk',
    sortKey: 'gsi5sk',
    purpose: 'delta sync: org deals by last change',
  },
  {
    name: 'gsi6',
    partitionKey: 'gsi6pk',
    sortKey: 'gsi6sk',
    purpose: "sparse: org deals by the org's own CRM id",
  },
];

export const indexByName = (name: IndexName): IndexDefinition => {
  const index = INDEXES.find((candidate) => candidate.name === name);
  if (!index) throw new Error(`Unknown index ${name}`);
  return index;
};

/** Every key attribute is a string. */
export const keyAttributeNames = (): string[] => [
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  ...INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
];
