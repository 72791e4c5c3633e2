import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_SWEEP_SECONDS } from '#infra/constructs/webhook-delivery.ts';
import { resourcesOf, synthesize, type TemplateResource } from './stacks.ts';

type Statement = { Action: string | string[]; Resource: unknown };

const statementsOf = (template: Template, fn: TemplateResource): Statement[] => {
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(`"${role}"`))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};

describe('webhooks (CDK)', () => {
  const app = synthesize({ stage: 'dev', emailFrom: 'referrals@partners.example' });
  const { api, apiTemplate } = app;
  const webhooks = api.webhooks!;
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    api.getLogicalId(construct.node.defaultChild as never);
  const fanOutId = id(webhooks.fanOut.function);
  const deliveryId = id(webhooks.delivery.function);
  const fnResource = (logicalId: string) => apiTemplate.toJSON().Resources[logicalId] as TemplateResource;

  it('feeds the fan-out from the table stream with its own mapping: outbox inserts, partial failures, a DLQ', () => {
    const mappings = resourcesOf(apiTemplate, 'AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) => JSON.stringify(mapping.Properties.FunctionName) === JSON.stringify({ Ref: fanOutId }),
    );
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0]!;
    expect(mapping.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [id(webhooks.fanOutDlq), 'Arn'] } } },
    });
    const filters = (mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['Outbox'] } } } },
    ]);
    // Two consumers of the one stream, each with its own mapping: neither holds the other back.
    expect(resourcesOf(apiTemplate, 'AWS::Lambda::EventSourceMapping')).toHaveLength(2);
  });

  it('invokes the delivery function every minute for a sweep that ends before its timeout', () => {
    apiTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [deliveryId, 'Arn'] },
        Input: JSON.stringify({ sweepSeconds: WEBHOOK_SWEEP_SECONDS }),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(webhooks.dlqs.schedule), 'Arn'] } },
      }),
    });
    const timeout = fnResource(deliveryId).Properties.Timeout as number;
    expect(fnResource(deliveryId).Properties.MemorySize).toBe(256);
    // The sweep, plus the 10 s a last attempt may take, within the timeout.
    expect(timeout).toBeGreaterThanOrEqual(WEBHOOK_SWEEP_SECONDS + 10);
    apiTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: deliveryId },
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [id(webhooks.dlqs.invocations), 'Arn'] } },
      },
    });
  });

  it('alarms on every webhook DLQ', () => {
    for (const queue of [webhooks.fanOutDlq, webhooks.dlqs.schedule, webhooks.dlqs.invocations]) {
      const alarms = resourcesOf(apiTemplate, 'AWS::CloudWatch::Alarm').filter(
        ([, alarm]) =>
          alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(alarm.Properties.Dimensions).includes(id(queue)),
      );
      expect(alarms, id(queue)).toHaveLength(1);
    }
  });

  it('lets only the delivery function send email, to the configured sender, and never the fan-out', () => {
    const sends = (logicalId: string) =>
      statementsOf(apiTemplate, fnResource(logicalId)).filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('ses:')),
      );
    expect(sends(fanOutId)).toEqual([]);
    const [statement, ...rest] = sends(deliveryId);
    expect(rest).toEqual([]);
    expect(JSON.stringify(statement!.Resource)).toContain('identity/referrals@partners.example');
    expect(fnResource(deliveryId).Properties).toMatchObject({
      Environment: { Variables: expect.objectContaining({ EMAIL_FROM: 'referrals@partners.example' }) },
    });
    expect(JSON.stringify(fnResource(deliveryId).Properties.Environment)).not.toContain(
      'WEBHOOK_ALLOW_LOOPBACK',
    );
  });
});
