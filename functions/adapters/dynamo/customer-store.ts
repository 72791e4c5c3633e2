/**
 * The customer directory on the single table (docs/data-model.md, pattern 6): name autosuggest on
 * gsi1 (country partition, lower-cased name prefix), D-U-N-S lookup on gsi2, and a guard item per
 * D-U-N-S number written in the same transaction as the customer so the number stays unique, on
 * create and on every correction. A retired customer keeps its item without index keys (so no
 * search finds it) and without its guard (so the number is free again).
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '#domain/directory/model.ts';
import type { CustomerStore, CustomerWriteOutcome } from '#domain/directory/ports.ts';
import type { Page, PageRequest } from '#domain/kernel/page.ts';
import { cancellationCodes, cancelledItem, conditionFailed } from './errors.ts';
import { type Item, notExists, queryIndex, type TransactItem } from './items.ts';
import { customerKeys, ENTITY } from './keys.ts';
import type { TableRef } from './table-ref.ts';

const customerItem = (customer: Customer): Item => ({
  ...customerKeys.item(customer.id),
  ...customerKeys.byName(customer.country, customer.name, customer.id),
  ...(customer.duns ? customerKeys.byDuns(customer.duns, customer.id) : {}),
  type: ENTITY.customer,
  ...customer,
});

/** Entries written before corrections existed have no `updatedAt`, and version 1. */
export const toCustomer = (item: Item): Customer => ({
  id: item.id as string,
  name: item.name as string,
  country: item.country as string,
  address: item.address as string,
  ...(typeof item.duns === 'string' ? { duns: item.duns } : {}),
  ...(typeof item.createdByOrgId === 'string' ? { createdByOrgId: item.createdByOrgId } : {}),
  createdAt: item.createdAt as string,
  updatedAt: (item.updatedAt ?? item.createdAt) as string,
  version: (item.version as number | undefined) ?? 1,
});

/** The index attributes a customer item carries: removing them takes it out of every search. */
const INDEX_ATTRIBUTES = Object.keys({ ...customerKeys.byName('', '', ''), ...customerKeys.byDuns('', '') });

export const isActive = (item: Item | undefined): item is Item =>
  item !== undefined && item.retiredAt === undefined;

const holderOf = (error: unknown, index: number): string | undefined => {
  const held = cancelledItem(error, index)?.customerId;
  return typeof held === 'string' ? held : undefined;
};

export class DynamoCustomerStore implements CustomerStore {
  constructor(private readonly table: TableRef) {}

  private claimGuard(duns: string, customerId: string): TransactItem {
    return {
      Put: {
        TableName: this.table.tableName,
        Item: { ...customerKeys.dunsGuard(duns), type: ENTITY.dunsGuard, version: 1, customerId },
        ...notExists,
        // The holder's id comes back with the cancellation, so the 409 can name it without a read.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  private releaseGuard(duns: string, customerId: string): TransactItem {
    return {
      Delete: {
        TableName: this.table.tableName,
        Key: customerKeys.dunsGuard(duns),
        ConditionExpression: 'customerId = :id',
        ExpressionAttributeValues: { ':id': customerId },
      },
    };
  }

  /** Runs the transaction; a failed guard claim at `claimAt` is `duns-taken`, anything else `stale`. */
  private async write(
    items: TransactItem[],
    claimAt: number | undefined,
    duns: string | undefined,
  ): Promise<CustomerWriteOutcome> {
    try {
      await this.table.db.send(new TransactWriteCommand({ TransactItems: items }));
      return { outcome: 'written' };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (claimAt !== undefined && duns !== undefined && conditionFailed(codes, claimAt)) {
        const holderId = holderOf(error, claimAt) ?? (await this.guardHolder(duns));
        return { outcome: 'duns-taken', ...(holderId === undefined ? {} : { holderId }) };
      }
      return { outcome: 'stale' };
    }
  }

  private async guardHolder(duns: string): Promise<string | undefined> {
    const { Item } = await this.table.db.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: customerKeys.dunsGuard(duns),
        ConsistentRead: true,
      }),
    );
    return Item?.customerId as string | undefined;
  }

  async create(customer: Customer): Promise<CustomerWriteOutcome> {
    const { tableName } = this.table;
    const put: TransactItem = { Put: { TableName: tableName, Item: customerItem(customer), ...notExists } };
    return this.write(
      [put, ...(customer.duns ? [this.claimGuard(customer.duns, customer.id)] : [])],
      customer.duns ? 1 : undefined,
      customer.duns,
    );
  }

  async update(next: Customer, previous: Customer): Promise<CustomerWriteOutcome> {
    const put: TransactItem = {
      Put: {
        TableName: this.table.tableName,
        Item: customerItem(next),
        ConditionExpression: '#version = :version AND attribute_not_exists(retiredAt)',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': previous.version },
      },
    };
    const moved = next.duns !== previous.duns;
    const items = [
      put,
      ...(moved && previous.duns ? [this.releaseGuard(previous.duns, previous.id)] : []),
      ...(moved && next.duns ? [this.claimGuard(next.duns, next.id)] : []),
    ];
    return this.write(items, moved && next.duns ? items.length - 1 : undefined, next.duns);
  }

  async retire(
    customer: Customer,
    retirement: { at: string; byOrgId: string },
  ): Promise<{ outcome: 'written' } | { outcome: 'stale' }> {
    const retire: TransactItem = {
      Update: {
        TableName: this.table.tableName,
        Key: customerKeys.item(customer.id),
        UpdateExpression: `SET retiredAt = :at, retiredByOrgId = :by, #version = :next REMOVE ${INDEX_ATTRIBUTES.join(', ')}`,
        ConditionExpression: '#version = :version AND attribute_not_exists(retiredAt)',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: {
          ':at': retirement.at,
          ':by': retirement.byOrgId,
          ':version': customer.version,
          ':next': customer.version + 1,
        },
      },
    };
    const result = await this.write(
      [retire, ...(customer.duns ? [this.releaseGuard(customer.duns, customer.id)] : [])],
      undefined,
      undefined,
    );
    return result.outcome === 'written' ? result : { outcome: 'stale' };
  }

  async get(customerId: string): Promise<Customer | undefined> {
    const { db, tableName } = this.table;
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: customerKeys.item(customerId) }),
    );
    return isActive(Item) ? toCustomer(Item) : undefined;
  }

  async searchByName(country: string, prefix: string, page: PageRequest): Promise<Page<Customer>> {
    const result = await queryIndex(this.table, customerKeys.nameSearch(country, prefix), page);
    return { items: result.items.map(toCustomer), ...(result.next ? { next: result.next } : {}) };
  }

  async getByDuns(duns: string): Promise<Customer | undefined> {
    const result = await queryIndex(this.table, customerKeys.dunsPartition(duns), { limit: 1 });
    const [item] = result.items;
    return item ? toCustomer(item) : undefined;
  }
}
