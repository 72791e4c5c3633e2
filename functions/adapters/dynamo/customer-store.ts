/**
 * The customer directory on the single table (docs/data-model.md, pattern 6): name autosuggest on
 * gsi1 (country partition, lower-cased name prefix), D-U-N-S lookup on gsi2, and a guard item per
 * D-U-N-S number written in the same transaction as the customer so the number stays unique.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#domain/errors.ts';
import type { Customer } from '#domain/model.ts';
import type { CustomerStore, Page, PageRequest } from '#domain/ports.ts';
import { customerKeys, ENTITY } from './keys.ts';
import { cancellationCodes, conditionFailed, queryIndex } from './org-store.ts';
import { TABLE_KEYS } from './table.ts';
import type { TableRef } from './table-ref.ts';

type Item = Record<string, unknown>;

const notExists = {
  ConditionExpression: 'attribute_not_exists(#pk)',
  ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
};

const customerItem = (customer: Customer): Item => ({
  ...customerKeys.item(customer.id),
  ...customerKeys.byName(customer.country, customer.name, customer.id),
  ...(customer.duns ? customerKeys.byDuns(customer.duns, customer.id) : {}),
  type: ENTITY.customer,
  version: 1,
  ...customer,
});

const toCustomer = (item: Item): Customer => ({
  id: item.id as string,
  name: item.name as string,
  country: item.country as string,
  address: item.address as string,
  ...(typeof item.duns === 'string' ? { duns: item.duns } : {}),
  createdAt: item.createdAt as string,
});

export class DynamoCustomerStore implements CustomerStore {
  constructor(private readonly table: TableRef) {}

  async create(customer: Customer): Promise<void> {
    const { db, tableName } = this.table;
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: customerItem(customer), ...notExists } },
            ...(customer.duns
              ? [
                  {
                    Put: {
                      TableName: tableName,
                      Item: {
                        ...customerKeys.dunsGuard(customer.duns),
                        type: ENTITY.dunsGuard,
                        version: 1,
                        customerId: customer.id,
                      },
                      ...notExists,
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (conditionFailed(codes, 1)) {
        throw new ConflictError(
          'already-exists',
          `A customer with D-U-N-S number ${customer.duns} already exists.`,
        );
      }
      if (conditionFailed(codes, 0))
        throw new ConflictError('already-exists', `Customer ${customer.id} exists.`);
      throw new ConflictError('concurrent-update', 'A concurrent change interfered; retry.');
    }
  }

  async get(customerId: string): Promise<Customer | undefined> {
    const { db, tableName } = this.table;
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: customerKeys.item(customerId) }),
    );
    return Item ? toCustomer(Item) : undefined;
  }

  async searchByName(country: string, prefix: string, page: PageRequest): Promise<Page<Customer>> {
    const { gsi1pk, gsi1skPrefix } = customerKeys.nameSearch(country, prefix);
    const result = await queryIndex(this.table, 'gsi1', { partition: gsi1pk, prefix: gsi1skPrefix }, page);
    return { items: result.items.map(toCustomer), ...(result.next ? { next: result.next } : {}) };
  }

  async getByDuns(duns: string): Promise<Customer | undefined> {
    const { gsi2pk } = customerKeys.dunsPartition(duns);
    const result = await queryIndex(this.table, 'gsi2', { partition: gsi2pk }, { limit: 1 });
    const [item] = result.items;
    return item ? toCustomer(item) : undefined;
  }
}
