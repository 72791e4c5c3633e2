/**
 * API clients on the single table: each client's record in its org's partition (`APICLIENT#`), and
 * its binding (`USER#client:…`), the item a request of the client's tokens reads like a person's
 * membership binding (org-store.ts `getActor`, the deal store's `readForCaller`). Both are written
 * and deleted in one transaction, with the org item's `apiClientCount` as the limit's condition.
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiClient } from '#domain/identity/model.ts';
import type { ApiClientStore } from '#domain/identity/ports.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { cancellationCodes, conditionFailed } from './errors.ts';
import { fromItem, getItem, type Item, notExists, partitionPrefix } from './items.ts';
import { apiClientKeys, ENTITY, membershipKeys, orgKeys } from './keys.ts';
import { bindingItem } from './org-store.ts';
import { TABLE_KEYS } from './table.ts';
import type { TableRef } from './table-ref.ts';

const clientItem = (client: ApiClient): Item => ({
  ...apiClientKeys.item(client.orgId, client.id),
  type: ENTITY.apiClient,
  version: 1,
  ...client,
});

export class DynamoApiClientStore implements ApiClientStore {
  constructor(private readonly table: TableRef) {}

  async listByOrg(orgId: string): Promise<ApiClient[]> {
    const { db, tableName } = this.table;
    const found: ApiClient[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          ...partitionPrefix(apiClientKeys.orgPartition(orgId)),
          ConsistentRead: true,
          ...(after ? { ExclusiveStartKey: after } : {}),
        }),
      );
      found.push(
        ...(page.Items ?? []).map((item) => withoutVersion(fromItem<ApiClient & { version?: number }>(item))),
      );
      after = page.LastEvaluatedKey;
    } while (after);
    return found;
  }

  async get(orgId: string, id: string): Promise<ApiClient | undefined> {
    const item = await getItem(this.table, apiClientKeys.item(orgId, id));
    return item ? withoutVersion(fromItem<ApiClient & { version?: number }>(item)) : undefined;
  }

  async create(client: ApiClient, binding: Actor, limit: number): Promise<'written' | 'limit-reached'> {
    const { db, tableName } = this.table;
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: clientItem(client), ...notExists } },
            { Put: { TableName: tableName, Item: bindingItem(binding, 1), ...notExists } },
            {
              Update: {
                TableName: tableName,
                Key: orgKeys.item(client.orgId),
                UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :one',
                ConditionExpression:
                  'attribute_exists(#pk) AND (attribute_not_exists(#count) OR #count < :limit)',
                ExpressionAttributeNames: { '#count': 'apiClientCount', '#pk': TABLE_KEYS.partitionKey },
                ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':limit': limit },
              },
            },
          ],
        }),
      );
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes && conditionFailed(codes, 2)) return 'limit-reached';
      throw error;
    }
  }

  async remove(client: ApiClient, bindingSub: string): Promise<'written' | 'gone'> {
    const { db, tableName } = this.table;
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: tableName,
                Key: apiClientKeys.item(client.orgId, client.id),
                ConditionExpression: 'attribute_exists(#pk)',
                ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
              },
            },
            { Delete: { TableName: tableName, Key: membershipKeys.binding(bindingSub) } },
            {
              Update: {
                TableName: tableName,
                Key: orgKeys.item(client.orgId),
                UpdateExpression: 'SET #count = #count - :one',
                ConditionExpression: '#count > :zero',
                ExpressionAttributeNames: { '#count': 'apiClientCount' },
                ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
              },
            },
          ],
        }),
      );
      return 'written';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes && conditionFailed(codes, 0)) return 'gone';
      throw error;
    }
  }
}

const withoutVersion = ({ version: _version, ...client }: ApiClient & { version?: number }): ApiClient =>
  client;
