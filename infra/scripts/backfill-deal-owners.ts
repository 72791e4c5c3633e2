/**
 * One-off backfill of deal owners (docs/decisions/0165-gsi3-serves-deal-owners.md): deals written
 * before owners existed have none, and carry gsi3 keys of their engagement, so no owner list finds
 * them. Each such deal gets its owner keys, and an outbound deal gets its creator as owner when the
 * creator is still a member of the org who may own it (domain/deals/rules/owner.ts); an inbound
 * deal, or one whose creator left, stays unowned (`owner=none` lists it).
 *
 * A parallel Scan (`--segments`, default 8) finds the deals without owner keys; each is updated by
 * one UpdateItem conditioned on the version read and on still lacking owner keys, so a deal changed
 * meanwhile (whose own write set its keys) is left alone, and running it again finds nothing. It
 * neither bumps a deal's version nor writes history: nobody changed the deal. Outside the request
 * path: it runs once, with operator credentials.
 *
 *   TABLE_NAME=... AWS_REGION=eu-west-1 npx tsx infra/scripts/backfill-deal-owners.ts [--segments 8]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ScanCommand, type ScanCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Deal, DealOwner } from '#domain/deals/model.ts';
import { mayOwn, ownerOf } from '#domain/deals/rules/owner.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { isConditionFailure } from '#functions/adapters/dynamo/errors.ts';
import { fromItem } from '#functions/adapters/dynamo/items.ts';
import { dealKeys, ENTITY } from '#functions/adapters/dynamo/keys.ts';
import { DynamoMembershipStore } from '#functions/adapters/dynamo/org-store.ts';
import { indexByName, TABLE_KEYS } from '#functions/adapters/dynamo/table.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';

export type BackfillReport = {
  /** Items the Scan read (the whole table: a Scan pays for every item). */
  scanned: number;
  /** Deals without owner keys. */
  found: number;
  /** Of those, deals given their creator as owner. */
  owned: number;
  /** Deals left unowned (inbound, or the creator is no longer an eligible member). */
  unowned: number;
  /** Deals that changed meanwhile: their own write set their keys. */
  skipped: number;
};

/** What the deal's creator makes it: its owner when still an eligible member, else nobody. */
const creatorOwner = async (
  memberships: DynamoMembershipStore,
  deal: Deal,
): Promise<DealOwner | undefined> => {
  if (deal.direction !== 'outbound') return undefined;
  const creator = await memberships.getActor(deal.createdBy);
  if (!creator || creator.orgId !== deal.orgId) return undefined;
  const member = await memberships.get(deal.orgId, creator.email);
  return mayOwn(member, deal) ? ownerOf(member) : undefined;
};

const backfill = async (
  table: TableRef,
  memberships: DynamoMembershipStore,
  deal: Deal,
): Promise<'owned' | 'unowned' | 'skipped'> => {
  const owner = await creatorOwner(memberships, deal);
  const { partitionKey, sortKey } = indexByName('gsi3');
  const keys = dealKeys.byOwner(deal.orgId, owner?.email, deal.direction, deal.id);
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: dealKeys.item(deal.id),
        UpdateExpression: `SET #gpk = :gpk, #gsk = :gsk${owner ? ', #owner = :owner' : ''}`,
        ConditionExpression: '#version = :version AND NOT begins_with(#gpk, :owned)',
        ExpressionAttributeNames: {
          '#gpk': partitionKey,
          '#gsk': sortKey,
          '#version': 'version',
          ...(owner ? { '#owner': 'owner' } : {}),
        },
        ExpressionAttributeValues: {
          ':gpk': keys[partitionKey],
          ':gsk': keys[sortKey],
          ':version': deal.version,
          ':owned': `ORG#${deal.orgId}#`,
          ...(owner ? { ':owner': owner } : {}),
        },
      }),
    );
    return owner ? 'owned' : 'unowned';
  } catch (error) {
    if (isConditionFailure(error)) return 'skipped';
    throw error;
  }
};

/** Gives every deal without owner keys its keys and, where it may, its creator as owner. */
export const backfillDealOwners = async (
  table: TableRef,
  options: { segments?: number } = {},
): Promise<BackfillReport> => {
  const segments = options.segments ?? 8;
  const memberships = new DynamoMembershipStore(table);
  const report: BackfillReport = { scanned: 0, found: 0, owned: 0, unowned: 0, skipped: 0 };
  const { partitionKey } = indexByName('gsi3');
  const segment = async (index: number) => {
    let after: Record<string, unknown> | undefined;
    do {
      const page: ScanCommandOutput = await table.db.send(
        new ScanCommand({
          TableName: table.tableName,
          Segment: index,
          TotalSegments: segments,
          // Owner keys start with the deal's org; engagement keys (ENG#…) or none mean not yet.
          FilterExpression:
            '#type = :deal AND #sk = :dealSk AND (attribute_not_exists(#gpk) OR NOT begins_with(#gpk, :org))',
          ExpressionAttributeNames: {
            '#type': 'type',
            '#sk': TABLE_KEYS.sortKey,
            '#gpk': partitionKey,
          },
          ExpressionAttributeValues: { ':deal': ENTITY.deal, ':dealSk': 'DEAL', ':org': 'ORG#' },
          ...(after ? { ExclusiveStartKey: after } : {}),
        }),
      );
      report.scanned += page.ScannedCount ?? 0;
      for (const item of page.Items ?? []) {
        report.found += 1;
        report[await backfill(table, memberships, fromItem<Deal>(item))] += 1;
      }
      after = page.LastEvaluatedKey;
    } while (after);
  };
  await Promise.all(Array.from({ length: segments }, (_, index) => segment(index)));
  return report;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { segments: { type: 'string' } } });
  const tableName = process.env.TABLE_NAME;
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!tableName || !region) {
    console.error('Set TABLE_NAME and AWS_REGION (and DYNAMODB_ENDPOINT for DynamoDB Local).');
    process.exit(2);
  }
  const endpoint = process.env.DYNAMODB_ENDPOINT || undefined;
  const db = createDocumentClient({ region, ...(endpoint ? { endpoint } : {}) });
  const report = await backfillDealOwners(
    { db, tableName },
    values.segments ? { segments: Number(values.segments) } : {},
  );
  console.log(JSON.stringify(report));
}
