/**
 * One-off migration of release 1's deal copies to the release 2 keys (docs/data-model.md "Deal key
 * migration"): each deal item at `ORG#<orgId>` / `DEAL#<dealId>` is moved to `DEAL#<dealId>` / `DEAL`
 * with every other attribute (index keys included) unchanged, plus the keys of the two indexes
 * release 2 added (gsi5, the delta sync by last change; gsi6, the CRM-id lookup) so connectors find
 * migrated deals. History, favorites, engagements and every older index key already name deals by
 * id, so nothing else moves.
 *
 * A parallel Scan (`--segments`, default 8) finds the old items; each is moved by one transaction
 * (Put of the new item if absent, Delete of the old one if still at the version read), so a deal
 * is never lost or duplicated, a run can stop anywhere, and running it again moves only what is
 * left (idempotent). Outside the request path: it runs once, with operator credentials.
 *
 *   TABLE_NAME=... AWS_REGION=eu-west-1 npx tsx infra/scripts/migrate-deal-keys.ts [--segments 8]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ScanCommand, type ScanCommandOutput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { isLostRace } from '#functions/adapters/dynamo/errors.ts';
import { dealKeys, ENTITY, legacyDealKeys } from '#functions/adapters/dynamo/keys.ts';
import { TABLE_KEYS } from '#functions/adapters/dynamo/table.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';

export type MigrationReport = {
  /** Items the Scan read (the whole table: a Scan pays for every item, not just deals). */
  scanned: number;
  /** Deal items found in the old layout. */
  found: number;
  moved: number;
  /** Old items left in place because their new item exists already or they changed meanwhile. */
  skipped: number;
};

type Item = Record<string, unknown>;

const move = async ({ db, tableName }: TableRef, old: Item): Promise<'moved' | 'skipped'> => {
  const { pk, sk, ...attributes } = old;
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...attributes,
                ...dealKeys.item(old.id as string),
                ...dealKeys.byLastChange(old.orgId as string, old.updatedAt as string, old.id as string),
                ...(typeof old.crmId === 'string'
                  ? dealKeys.byCrmId(old.orgId as string, old.crmId, old.id as string)
                  : {}),
              },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
            },
          },
          {
            Delete: {
              TableName: tableName,
              Key: { pk, sk },
              ConditionExpression: '#version = :version',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': old.version },
            },
          },
        ],
      }),
    );
    return 'moved';
  } catch (error) {
    if (isLostRace(error)) return 'skipped';
    throw error;
  }
};

/** Moves every old-layout deal item of the table; see the module comment. */
export const migrateDealKeys = async (
  table: TableRef,
  options: { segments?: number } = {},
): Promise<MigrationReport> => {
  const segments = options.segments ?? 8;
  const report: MigrationReport = { scanned: 0, found: 0, moved: 0, skipped: 0 };
  const segment = async (index: number) => {
    let after: Item | undefined;
    do {
      const page: ScanCommandOutput = await table.db.send(
        new ScanCommand({
          TableName: table.tableName,
          Segment: index,
          TotalSegments: segments,
          FilterExpression: '#type = :deal AND begins_with(#pk, :pkPrefix) AND begins_with(#sk, :skPrefix)',
          ExpressionAttributeNames: {
            '#type': 'type',
            '#pk': TABLE_KEYS.partitionKey,
            '#sk': TABLE_KEYS.sortKey,
          },
          ExpressionAttributeValues: {
            ':deal': ENTITY.deal,
            ':pkPrefix': legacyDealKeys.pkPrefix,
            ':skPrefix': legacyDealKeys.skPrefix,
          },
          ...(after ? { ExclusiveStartKey: after } : {}),
        }),
      );
      report.scanned += page.ScannedCount ?? 0;
      for (const item of page.Items ?? []) {
        report.found += 1;
        report[await move(table, item)] += 1;
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
  const report = await migrateDealKeys(
    { db, tableName },
    values.segments ? { segments: Number(values.segments) } : {},
  );
  console.log(JSON.stringify(report));
}
