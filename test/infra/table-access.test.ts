import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { INDEXES } from '#functions/adapters/dynamo/table.ts';
import { HTTP_FUNCTION_DEFINITIONS } from '#functions/environment.ts';
import { HTTP_FUNCTIONS, type HttpFunction, ROUTES, routeKey } from '#functions/http/routes.ts';
import {
  EXPIRY_JOB_TABLE_ACCESS,
  httpFunctionTableAccess,
  NOTIFICATION_CONSUMER_TABLE_ACCESS,
  ROUTE_TABLE_ACCESS,
  routeTableAccess,
  strayRouteAccessKeys,
  type TableAccess,
  WEBHOOK_DELIVERY_TABLE_ACCESS,
  WEBHOOK_FAN_OUT_TABLE_ACCESS,
  WRITE_OPERATIONS,
} from '#functions/table-access.ts';
import { resourcesOf, synthesize, type TemplateResource } from './stacks.ts';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

const statementsOf = (template: Template, fn: TemplateResource): Statement[] => {
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(`"${role}"`))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};

/**
 * What the template grants a function on the table: actions on the table ARN, the indexes it may
 * Query, and the writes it may make only on some partitions (`dynamodb:LeadingKeys`).
 */
const grantedTableAccess = (template: Template, fn: TemplateResource) => {
  const operations = new Set<string>();
  const indexes = new Set<string>();
  const scopedWrites: { operation: string; partitions: string[] }[] = [];
  for (const statement of statementsOf(template, fn)) {
    // The stream read (GetRecords, GetShardIterator, DescribeStream, ListStreams) comes from the event source.
    const actions = [statement.Action]
      .flat()
      .filter((action) => action.startsWith('dynamodb:') && !/Stream|Shard|GetRecords/.test(action));
    if (actions.length === 0) continue;
    const leadingKeys = (
      statement.Condition?.['ForAllValues:StringLike'] as Record<string, string[]> | undefined
    )?.['dynamodb:LeadingKeys'];
    if (leadingKeys) {
      for (const action of actions) {
        scopedWrites.push({
          operation: action.replace('dynamodb:', ''),
          partitions: leadingKeys.map((key) => key.replace(/\*$/, '')).sort(),
        });
      }
      continue;
    }
    for (const resource of [statement.Resource].flat()) {
      const text = JSON.stringify(resource);
      const index = /\/index\/([^"]+)"/.exec(text)?.[1];
      if (index) {
        expect(actions).toEqual(['dynamodb:Query']);
        indexes.add(index);
      } else {
        for (const action of actions) operations.add(action.replace('dynamodb:', ''));
      }
    }
  }
  return {
    operations: [...operations].sort(),
    indexes: [...indexes].sort(),
    scopedWrites: scopedWrites.sort((a, b) => a.operation.localeCompare(b.operation)),
  };
};

const sorted = (access: TableAccess) => ({
  operations: [...access.operations].sort(),
  indexes: [...access.indexes].sort(),
  scopedWrites: access.scopedWrites
    .map((write) => ({ operation: write.operation, partitions: [...write.partitions].sort() }))
    .sort((a, b) => a.operation.localeCompare(b.operation)),
});

const httpFunction = (template: Template, fn: HttpFunction): TemplateResource =>
  functionDescribed(
    template,
    HTTP_FUNCTION_DEFINITIONS.find((definition) => definition.id === fn.id)!.description,
  );

const byId = (id: string): HttpFunction => HTTP_FUNCTIONS.find((fn) => fn.id === id)!;

const functionDescribed = (template: Template, description: string): TemplateResource => {
  const matches = resourcesOf(template, 'AWS::Lambda::Function').filter(
    ([, fn]) => fn.Properties.Description === description,
  );
  expect(matches, description).toHaveLength(1);
  return matches[0]![1];
};

describe('table access per function (least privilege)', () => {
  const { apiTemplate: template } = synthesize({ stage: 'dev' });

  it('declares the access of every route of the route table, and of no other route', () => {
    for (const route of ROUTES) expect(() => routeTableAccess(route), routeKey(route)).not.toThrow();
    expect(strayRouteAccessKeys()).toEqual([]);
    expect(Object.keys(ROUTE_TABLE_ACCESS)).toHaveLength(ROUTES.length);
  });

  it('grants each function of the HTTP API exactly the union of its routes’ declared access', () => {
    for (const fn of HTTP_FUNCTIONS) {
      expect(grantedTableAccess(template, httpFunction(template, fn)), fn.id).toEqual(
        sorted(httpFunctionTableAccess(fn)),
      );
    }
  });

  it('grants the expiry job and the notification consumer exactly their declared access', () => {
    expect(
      grantedTableAccess(template, functionDescribed(template, 'Reminds and expires unanswered invitations')),
    ).toEqual(sorted(EXPIRY_JOB_TABLE_ACCESS));
    expect(
      grantedTableAccess(
        template,
        functionDescribed(
          template,
          'Publishes outbox events to EventBridge and sends their notification emails',
        ),
      ),
    ).toEqual(sorted(NOTIFICATION_CONSUMER_TABLE_ACCESS));
  });

  it('grants the webhook fan-out and delivery functions exactly their declared access', () => {
    expect(
      grantedTableAccess(
        template,
        functionDescribed(template, 'Turns outbox events into pending webhook deliveries'),
      ),
    ).toEqual(sorted(WEBHOOK_FAN_OUT_TABLE_ACCESS));
    expect(
      grantedTableAccess(
        template,
        functionDescribed(template, 'Sends due webhook deliveries and retries failed ones'),
      ),
    ).toEqual(sorted(WEBHOOK_DELIVERY_TABLE_ACCESS));
  });

  it('grants Scan nowhere, no wildcard action, and no index by wildcard', () => {
    for (const [id, policy] of resourcesOf(template, 'AWS::IAM::Policy')) {
      const text = JSON.stringify(policy.Properties.PolicyDocument);
      expect(text, id).not.toMatch(/dynamodb:Scan|dynamodb:\*|"dynamodb:[A-Za-z]*\*"/);
      expect(text, id).not.toContain('/index/*');
    }
  });

  it('keeps the reads functions read-only: signing in writes nothing', () => {
    for (const fn of HTTP_FUNCTIONS.filter((candidate) => candidate.kind === 'reads')) {
      const granted = grantedTableAccess(template, httpFunction(template, fn));
      const writes = granted.operations.filter((op) => (WRITE_OPERATIONS as string[]).includes(op));
      expect(writes, fn.id).toEqual([]);
      expect(granted.scopedWrites, fn.id).toEqual([]);
    }
  });

  it('gives the public operations (/health, /openapi.json) one GetItem on the table', () => {
    expect(grantedTableAccess(template, httpFunction(template, byId('OperationsReads')))).toEqual({
      operations: ['GetItem'],
      indexes: [],
      scopedWrites: [],
    });
  });

  it('gives functions with POST routes the idempotency record writes, and deal writes the check of the caller’s binding', () => {
    for (const fn of HTTP_FUNCTIONS.filter((candidate) =>
      candidate.routes.some((route) => route.method === 'POST'),
    )) {
      const { operations } = grantedTableAccess(template, httpFunction(template, fn));
      expect(operations, fn.id).toEqual(
        expect.arrayContaining(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']),
      );
    }
    expect(grantedTableAccess(template, httpFunction(template, byId('DealsWrites'))).operations).toContain(
      'ConditionCheckItem',
    );
  });

  it('gives the webhook delivery job no DeleteItem (it disables an endpoint by a Put)', () => {
    expect(WEBHOOK_DELIVERY_TABLE_ACCESS.operations).not.toContain('DeleteItem');
  });

  it('names only indexes the table has', () => {
    const names = INDEXES.map((index) => index.name);
    for (const access of [
      ...Object.values(ROUTE_TABLE_ACCESS),
      EXPIRY_JOB_TABLE_ACCESS,
      NOTIFICATION_CONSUMER_TABLE_ACCESS,
      WEBHOOK_FAN_OUT_TABLE_ACCESS,
      WEBHOOK_DELIVERY_TABLE_ACCESS,
    ]) {
      for (const index of access.indexes) expect(names).toContain(index);
    }
  });
});
