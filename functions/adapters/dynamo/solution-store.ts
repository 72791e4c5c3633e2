/**
 * The solution catalog on the single table (docs/data-model.md, pattern 8): by owner org on gsi1,
 * by kind on gsi2. Partner solutions carry the gsi2 keys only while they are co-sell ready (a
 * sparse index), because other orgs list partner solutions only when they are co-sell ready.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Solution, SolutionKind } from '#domain/directory/model.ts';
import type { ReadyCountChange, SolutionFilter, SolutionStore } from '#domain/directory/ports.ts';
import type { Page, PageRequest } from '#domain/kernel/page.ts';
import { cancellationCodes, cancelledItem, conditionFailed } from './errors.ts';
import { batchGet, type Item, queryIndex, type TransactItem } from './items.ts';
import { ENTITY, orgKeys, solutionKeys } from './keys.ts';
import { indexByName, TABLE_KEYS } from './table.ts';
import type { TableRef } from './table-ref.ts';

const listedByKind = (solution: Solution): boolean => solution.kind !== 'partner' || solution.coSellReady;

const solutionItem = (solution: Solution): Item => ({
  ...solutionKeys.item(solution.id),
  ...solutionKeys.byOwner(solution.ownerOrgId, solution.id),
  ...(listedByKind(solution) ? solutionKeys.byKind(solution.kind, solution.id) : {}),
  type: ENTITY.solution,
  version: 1,
  ...solution,
});

const toSolution = (item: Item): Solution => ({
  id: item.id as string,
  ownerOrgId: item.ownerOrgId as string,
  kind: item.kind as SolutionKind,
  name: item.name as string,
  coSellReady: item.coSellReady as boolean,
  incentiveEligible: item.incentiveEligible as boolean,
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
});

export class DynamoSolutionStore implements SolutionStore {
  constructor(private readonly table: TableRef) {}

  /** The owner org's ready count moves in the same transaction as the solution (the org must exist). */
  private readyCount(ownerOrgId: string, ready: ReadyCountChange): TransactItem[] {
    if (ready === 0) return [];
    return [
      {
        Update: {
          TableName: this.table.tableName,
          Key: orgKeys.item(ownerOrgId),
          UpdateExpression: 'ADD coSellReadySolutions :change',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
          ExpressionAttributeValues: { ':change': ready },
        },
      },
    ];
  }

  async create(solution: Solution, ready: ReadyCountChange): Promise<'written' | 'exists'> {
    try {
      await this.table.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table.tableName,
                Item: solutionItem(solution),
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
              },
            },
            ...this.readyCount(solution.ownerOrgId, ready),
          ],
        }),
      );
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes && conditionFailed(codes, 0)) return 'exists';
      throw error;
    }
  }

  async get(solutionId: string): Promise<Solution | undefined> {
    const { db, tableName } = this.table;
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: solutionKeys.item(solutionId), ConsistentRead: true }),
    );
    return Item ? toSolution(Item) : undefined;
  }

  /** Found solutions in the order of the given ids (duplicates and unknown ids dropped). */
  async getMany(solutionIds: readonly string[]): Promise<Solution[]> {
    const ids = [...new Set(solutionIds)];
    const items = await batchGet(
      this.table,
      ids.map((id) => solutionKeys.item(id)),
    );
    return items.flatMap((item) => (item ? [toSolution(item)] : []));
  }

  async list(filter: SolutionFilter, page: PageRequest): Promise<Page<Solution>> {
    const result =
      'ownerOrgId' in filter
        ? await queryIndex(this.table, solutionKeys.ownerPartition(filter.ownerOrgId), page)
        : 'kind' in filter
          ? await queryIndex(this.table, solutionKeys.kindPartition(filter.kind), page)
          : await queryIndex(this.table, solutionKeys.kindPartition('partner'), page, {
              filter: {
                // The caller's own org is a small share of the partition; a page may come back short.
                FilterExpression: 'ownerOrgId <> :self',
                ExpressionAttributeValues: { ':self': filter.coSellReadyPartnersExcept },
              },
            });
    return { items: result.items.map(toSolution), ...(result.next ? { next: result.next } : {}) };
  }

  async update(
    solution: Solution,
    expectedUpdatedAt: string,
    ready: ReadyCountChange,
  ): Promise<'written' | 'stale' | 'missing'> {
    const { db, tableName } = this.table;
    const gsi2 = indexByName('gsi2');
    const kindKeys = solutionKeys.byKind(solution.kind, solution.id);
    const listed = listedByKind(solution);
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: solutionKeys.item(solution.id),
                UpdateExpression: [
                  'SET #name = :name, coSellReady = :coSellReady, incentiveEligible = :incentiveEligible,',
                  'updatedAt = :updatedAt, #version = #version + :one',
                  listed ? ', #gsi2pk = :gsi2pk, #gsi2sk = :gsi2sk' : 'REMOVE #gsi2pk, #gsi2sk',
                ].join(' '),
                ConditionExpression: 'attribute_exists(#pk) AND updatedAt = :expected',
                ExpressionAttributeNames: {
                  '#pk': TABLE_KEYS.partitionKey,
                  '#name': 'name',
                  '#version': 'version',
                  '#gsi2pk': gsi2.partitionKey,
                  '#gsi2sk': gsi2.sortKey,
                },
                ExpressionAttributeValues: {
                  ':name': solution.name,
                  ':coSellReady': solution.coSellReady,
                  ':incentiveEligible': solution.incentiveEligible,
                  ':updatedAt': solution.updatedAt,
                  ':one': 1,
                  ':expected': expectedUpdatedAt,
                  ...(listed
                    ? { ':gsi2pk': kindKeys[gsi2.partitionKey], ':gsi2sk': kindKeys[gsi2.sortKey] }
                    : {}),
                },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            ...this.readyCount(solution.ownerOrgId, ready),
          ],
        }),
      );
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes && conditionFailed(codes, 0)) return cancelledItem(error, 0) ? 'stale' : 'missing';
      throw error;
    }
  }
}
