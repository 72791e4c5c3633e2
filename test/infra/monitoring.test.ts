import { Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '#functions/http/routes.ts';
import type { ApiMonitoring } from '#infra/constructs/api-monitoring.ts';
import { resourcesOf, synthesize } from './stacks.ts';

const alarmsOn = (template: ReturnType<typeof synthesize>['apiTemplate'], metricName: string) =>
  resourcesOf(template, 'AWS::CloudWatch::Alarm').filter(
    ([, alarm]) => alarm.Properties.MetricName === metricName,
  );

describe('api monitoring', () => {
  const { api, apiTemplate: template } = synthesize({ stage: 'dev' });
  const functionCount = resourcesOf(template, 'AWS::Lambda::Function').length;

  it('alarms on API 5xx and p99 latency of the stage', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Statistic: 'Sum',
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
    });
  });

  it('alarms on errors and throttles of every function, the expiry job included', () => {
    expect(functionCount).toBeGreaterThanOrEqual(ROUTES.length);
    expect(alarmsOn(template, 'Errors')).toHaveLength(functionCount);
    expect(alarmsOn(template, 'Throttles')).toHaveLength(functionCount);
    const expiry = alarmsOn(template, 'Errors').filter(([, alarm]) =>
      String(alarm.Properties.AlarmDescription).includes('expiry job'),
    );
    expect(expiry).toHaveLength(api.expiryFunction ? 1 : 0);
  });

  it('alarms on DynamoDB throttling of the table', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.anyValue() })]),
      Threshold: 1,
    });
  });

  it('sends every alarm and its recovery to one SNS topic that requires TLS', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    for (const [, alarm] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.OKActions).toHaveLength(1);
    }
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('writes an access log without personal data', () => {
    const [[, stage]] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    const settings = stage.Properties.AccessLogSettings as { Format: string; DestinationArn: unknown };
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    expect(settings.Format).not.toMatch(/sourceIp|userAgent|claims|email/i);
  });

  it('alarms when the notification consumer falls behind the table stream', () => {
    const ages = alarmsOn(template, 'IteratorAge');
    expect(ages).toHaveLength(api.notifications ? 1 : 0);
    for (const [, alarm] of ages)
      expect(alarm.Properties).toMatchObject({ Statistic: 'Maximum', Threshold: 300_000 });
  });

  it('alarms on the depth of every dead-letter queue in the stack', () => {
    // The notification consumer's DLQ arrives with its issue; any queue in the stack is watched.
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(api.notifications ? 1 : 0);
    expect(alarmsOn(template, 'ApproximateNumberOfMessagesVisible')).toHaveLength(queues.length);
    const monitoring = api.node.findChild('Monitoring') as ApiMonitoring;
    const before = monitoring.alarms.length;
    new Queue(api, 'ExampleDlq');
    monitoring.watchDeadLetterQueues();
    const added = monitoring.alarms.slice(before);
    expect(added.length).toBeGreaterThanOrEqual(1);
    expect(added.some((alarm) => alarm.node.id === 'ExampleDlqDepth')).toBe(true);
  });
});
