/** What IAM authorizes of each DynamoDB call, and which declared grants a set of calls used. */
import { describe, expect, it } from 'vitest';
import {
  declaredTableAccess,
  grants,
  tableAccess,
  tableRequestsOf,
  WEBHOOK_DELIVERY_TABLE_ACCESS,
} from '#functions/table-access.ts';
import { unusedGrants } from '#test/support/least-privilege.ts';

describe('table requests', () => {
  it('names each item of a transaction with its own action and partition, in either spelling of keys', () => {
    expect(
      tableRequestsOf('TransactWriteItemsCommand', {
        TransactItems: [
          { Put: { Item: { pk: 'EMAIL#a@b.example', sk: 'MEMBER#1' } } },
          { Update: { Key: { pk: { S: 'ORG#1' }, sk: { S: 'ORG' } } } },
          { Delete: { Key: { pk: 'USER#s', sk: 'MEMBERSHIP' } } },
          { ConditionCheck: { Key: { pk: 'ORG#1', sk: 'ORG' } } },
        ],
      }),
    ).toEqual([
      { action: 'PutItem', partition: 'EMAIL#a@b.example' },
      { action: 'UpdateItem', partition: 'ORG#1' },
      { action: 'DeleteItem', partition: 'USER#s' },
      { action: 'ConditionCheckItem', partition: 'ORG#1' },
    ]);
    expect(tableRequestsOf('QueryCommand', { IndexName: 'gsi5' })).toEqual([
      { action: 'Query', index: 'gsi5' },
    ]);
    expect(tableRequestsOf('ScanCommand', {})).toEqual([{ action: 'Scan' }]);
  });

  it('grants a scoped write only on its partitions, an index only to Query, and never a Scan', () => {
    const reads = declaredTableAccess('DealsReads')!;
    // Signing in writes nothing: a reads function holds no write at all.
    expect(grants(reads, { action: 'PutItem', partition: 'USER#s' })).toBe(false);
    expect(grants(reads, { action: 'UpdateItem', partition: 'ORG#1' })).toBe(false);
    const scoped = tableAccess({
      operations: ['GetItem'],
      indexes: [],
      scopedWrites: [{ operation: 'PutItem', partitions: ['USER#'] }],
    });
    expect(grants(scoped, { action: 'PutItem', partition: 'USER#s' })).toBe(true);
    expect(grants(scoped, { action: 'PutItem', partition: 'DEAL#1' })).toBe(false);
    expect(grants(reads, { action: 'Query', index: 'gsi1' })).toBe(true);
    expect(grants(reads, { action: 'Query', index: 'gsi4' })).toBe(false);
    expect(grants(reads, { action: 'Scan' })).toBe(false);
    expect(grants(WEBHOOK_DELIVERY_TABLE_ACCESS, { action: 'DeleteItem', partition: 'WEBHOOK#1' })).toBe(
      false,
    );
  });

  it('drops a scoped write from a union that holds the same write unscoped', () => {
    const union = tableAccess(
      { operations: [], indexes: [], scopedWrites: [{ operation: 'PutItem', partitions: ['USER#'] }] },
      declaredTableAccess('DealsWrites')!,
    );
    expect(union.scopedWrites).toEqual([]);
    expect(union.operations).toContain('PutItem');
  });
});

describe('unused grants', () => {
  it('lists each declared grant no request used, per function', () => {
    const made = new Map([['OperationsReads', [{ action: 'GetItem' as const }]]]);
    const unused = unusedGrants(made);
    expect(unused.filter((line) => line.startsWith('OperationsReads'))).toEqual([]);
    expect(unused).toContain('DealsReads: dynamodb:Query on index gsi5');
  });
});
