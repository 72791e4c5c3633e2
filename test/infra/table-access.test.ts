import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { INDEXES } from '#functions/adapters/dynamo/table.ts';
import { ROUTES, type RouteDefinition, routeKey } from '#functions/http/routes.ts';
import {
  EXPIRY_JOB_TABLE_ACCESS,
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

type Statement = { Action: string | string[]; Resource: unknown };

const statementsOf = (template: Template, fn: TemplateResource): Statement[] => {
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(`"${role}"`))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};

/** What the template grants a function on the table: actions on the table ARN, and the indexes it may Query. */
const grantedTableAccess = (template: Template, fn: TemplateResource) => {
  const operations = new Set<string>();
  const indexes = new Set<string>();
  for (const statement of statementsOf(template, fn)) {
    // The stream read (GetRecords, GetShardIterator, DescribeStream, ListStreams) comes from the event source.
    const actions = [statement.Action]
      .flat()
      .filter((action) => action.startsWith('dynamodb:') && !/Stream|Shard|GetRecords/.test(action));
    if (actions.length === 0) continue;
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
  return { operations: [...operations].sort(), indexes: [...indexes].sort() };
};

const sorted = (access: TableAccess) => ({
  operations: [...access.operations].sort(),
  indexes: [...access.indexes].sort(),
});

const routeFunction = (template: Template, route: RouteDefinition): TemplateResource => {
  const matches = resourcesOf(template, 'AWS::Lambda::Function').filter(
    ([, fn]) => fn.Properties.Description === routeKey(route),
  );
  expect(matches, routeKey(route)).toHaveLength(1);
  return matches[0]![1];
};

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

  it('grants each route exactly its declared actions and indexes', () => {
    for (const route of ROUTES) {
      expect(grantedTableAccess(template, routeFunction(template, route)), routeKey(route)).toEqual(
        sorted(routeTableAccess(route)),
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

  it("keeps read routes read-only but for a person's first sign-in (the member and its sub binding)", () => {
    const signInWrites = ['PutItem', 'UpdateItem'];
    for (const route of ROUTES.filter((candidate) => candidate.method === 'GET')) {
      const granted = grantedTableAccess(template, routeFunction(template, route));
      const writes = granted.operations.filter((op) => (WRITE_OPERATIONS as string[]).includes(op));
      if (route.auth === 'none') expect(writes, routeKey(route)).toEqual([]);
      else expect(writes, routeKey(route)).toEqual(signInWrites);
    }
  });

  it('gives /health one GetItem and /openapi.json nothing on the table', () => {
    const health = ROUTES.find((route) => route.path === '/health')!;
    const openapi = ROUTES.find((route) => route.path === '/openapi.json')!;
    expect(grantedTableAccess(template, routeFunction(template, health))).toEqual({
      operations: ['GetItem'],
      indexes: [],
    });
    expect(grantedTableAccess(template, routeFunction(template, openapi))).toEqual({
      operations: [],
      indexes: [],
    });
  });

  it('gives POST routes the idempotency record writes, and the member routes their transaction items', () => {
    for (const route of ROUTES.filter((candidate) => candidate.method === 'POST')) {
      const { operations } = grantedTableAccess(template, routeFunction(template, route));
      expect(operations, routeKey(route)).toEqual(
        expect.arrayContaining(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']),
      );
    }
    const putUser = ROUTES.find((route) => routeKey(route) === 'DELETE /v1/org/users/{email}')!;
    expect(grantedTableAccess(template, routeFunction(template, putUser)).operations).toContain(
      'ConditionCheckItem',
    );
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
