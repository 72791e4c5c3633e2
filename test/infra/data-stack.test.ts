import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { INDEXES, keyAttributeNames, TABLE_KEYS, TTL_ATTRIBUTE } from '#functions/adapters/dynamo/table.ts';
import { PROD_DELIVERY, synthesize } from './stacks.ts';

describe('data stack', () => {
  const dev = synthesize({ stage: 'dev' });
  const prod = synthesize({ stage: 'prod', ...PROD_DELIVERY });

  it('is named after the stage', () => {
    expect(dev.data.stackName).toBe('CoSell-dev-Data');
    expect(prod.data.stackName).toBe('CoSell-prod-Data');
  });

  it('declares one on-demand table keyed by pk/sk with a TTL and a NEW_AND_OLD_IMAGES stream', () => {
    dev.dataTemplate.resourceCountIs('AWS::DynamoDB::Table', 1);
    dev.dataTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it("outputs the table's name from its own stack", () => {
    const [tableId] = Object.keys(dev.dataTemplate.findResources('AWS::DynamoDB::Table'));
    dev.dataTemplate.hasOutput('TableName', { Value: { Ref: tableId } });
  });

  it('defines exactly the key attributes of table.ts, all strings', () => {
    const [table] = Object.values(dev.dataTemplate.findResources('AWS::DynamoDB::Table'));
    const definitions = table?.Properties.AttributeDefinitions as {
      AttributeName: string;
      AttributeType: string;
    }[];
    expect(definitions.map((d) => d.AttributeName).sort()).toEqual(keyAttributeNames().sort());
    expect(new Set(definitions.map((d) => d.AttributeType))).toEqual(new Set(['S']));
  });

  it('has every GSI of INDEXES, with its keys and ALL projection, and no other', () => {
    const [table] = Object.values(dev.dataTemplate.findResources('AWS::DynamoDB::Table'));
    const gsis = table?.Properties.GlobalSecondaryIndexes as unknown[];
    expect(gsis).toHaveLength(INDEXES.length);
    for (const index of INDEXES) {
      expect(gsis).toContainEqual({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      });
    }
  });

  it('keeps the prod table: point-in-time recovery, deletion protection, RETAIN', () => {
    prod.dataTemplate.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
    expect(prod.data.terminationProtection).toBe(true);
  });

  it('lets the dev table go with the stack: DESTROY, no deletion protection, no PITR', () => {
    dev.dataTemplate.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
        DeletionProtectionEnabled: false,
      }),
    });
    expect(dev.data.terminationProtection).toBe(false);
  });

  it('rejects an unknown stage', () => {
    expect(() => synthesize({ stage: 'staging' })).toThrow(/dev or prod/);
  });
});
