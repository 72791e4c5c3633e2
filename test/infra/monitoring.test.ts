import { Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { INDEXES } from '#functions/adapters/dynamo/table.ts';
import type { ApiMonitoring } from '#infra/constructs/api-monitoring.ts';
import { appFunctionsOf, resourcesOf, synthesize, synthesizeFresh } from './stacks.ts';

const alarmsOn = (template: ReturnType<typeof synthesize>['apiTemplate'], metricName: string) =>
  resourcesOf(template, 'AWS::CloudWatch::Alarm').filter(
    ([, alarm]) => alarm.Properties.MetricName === metricName,
  );

type MetricDataQuery = {
  Id: string;
  Expression?: string;
  MetricStat?: {
    Metric: { MetricName: string; Namespace: string; Dimensions: { Name: string; Value: unknown }[] };
  };
};

/** Alarms on metric math: the queries of each. */
const mathAlarms = (template: ReturnType<typeof synthesize>['apiTemplate']) =>
  resourcesOf(template, 'AWS::CloudWatch::Alarm')
    .map(([id, alarm]) => [id, alarm.Properties.Metrics as MetricDataQuery[] | undefined] as const)
    .filter((entry): entry is readonly [string, MetricDataQuery[]] => entry[1] !== undefined);

const metricNamesOf = (queries: MetricDataQuery[]) =>
  queries.flatMap((query) => (query.MetricStat ? [query.MetricStat.Metric.MetricName] : []));

const expressionOf = (queries: MetricDataQuery[]) =>
  queries.find((query) => query.Expression)?.Expression ?? '';

describe('api monitoring', () => {
  const { api, apiTemplate: template } = synthesize({ stage: 'dev' });
  const functionCount = appFunctionsOf(template).length;

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

  it('alarms on errors and throttles of every function, grouped so alarms do not grow one per function', () => {
    // The expiry job's errors have their own alarm, which says what its failure holds up.
    const expiry = alarmsOn(template, 'Errors').filter(([, alarm]) =>
      String(alarm.Properties.AlarmDescription).includes('expiry job'),
    );
    expect(expiry).toHaveLength(1);
    expect(alarmsOn(template, 'Errors')).toHaveLength(1);
    for (const [metricName, grouped] of [
      ['Errors', functionCount - 1],
      ['Throttles', functionCount],
    ] as const) {
      const alarms = mathAlarms(template).filter(([, queries]) =>
        metricNamesOf(queries).every((name) => name === metricName),
      );
      // Ten to an alarm (CloudWatch's limit), every function counted once, missing data as zero.
      const counted = alarms.map(([, queries]) => queries.filter((query) => query.MetricStat));
      expect(counted.every((metrics) => metrics.length <= 10)).toBe(true);
      expect(counted.flat(), metricName).toHaveLength(grouped);
      for (const [, queries] of alarms) {
        expect(expressionOf(queries).split(' + ')).toEqual(
          queries.filter((query) => query.MetricStat).map((query) => `FILL(${query.Id}, 0)`),
        );
      }
    }
  });

  it('alarms on DynamoDB throttling of the table, every operation counted with missing data as zero', () => {
    const [table] = mathAlarms(template).filter(([, queries]) =>
      metricNamesOf(queries).includes('ThrottledRequests'),
    );
    expect(table).toBeDefined();
    const [, queries] = table!;
    const operations = queries.flatMap((query) => (query.MetricStat ? [query.MetricStat] : []));
    expect(operations.length).toBeGreaterThanOrEqual(7);
    // Every metric is FILLed: a sum of plain metrics is missing whenever one operation saw no throttle.
    expect(expressionOf(queries).split(' + ')).toEqual(
      queries.filter((query) => query.MetricStat).map((query) => `FILL(${query.Id}, 0)`),
    );
  });

  it('alarms on throttled reads and writes of every GSI, missing data as zero', () => {
    for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      const [gsi] = mathAlarms(template).filter(([, queries]) => metricNamesOf(queries).includes(metricName));
      expect(gsi).toBeDefined();
      const [, queries] = gsi!;
      const indexes = new Set(
        queries.flatMap((query) =>
          (query.MetricStat?.Metric.Dimensions ?? []).flatMap((dimension) =>
            dimension.Name === 'GlobalSecondaryIndexName' ? [String(dimension.Value)] : [],
          ),
        ),
      );
      expect([...indexes].sort()).toEqual(INDEXES.map((index) => index.name).sort());
      expect(new Set(metricNamesOf(queries))).toEqual(new Set([metricName]));
      expect(expressionOf(queries)).not.toMatch(/(^|\+ )m\d/);
      // CloudWatch allows at most 10 metrics in one alarm.
      expect(queries.filter((query) => query.MetricStat).length).toBeLessThanOrEqual(10);
    }
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

  it('alarms when a stream consumer (notifications, webhook fan-out) falls behind the table stream', () => {
    const ages = alarmsOn(template, 'IteratorAge');
    expect(ages).toHaveLength((api.notifications ? 1 : 0) + (api.webhooks ? 1 : 0));
    for (const [, alarm] of ages)
      expect(alarm.Properties).toMatchObject({ Statistic: 'Maximum', Threshold: 300_000 });
  });

  it('alarms on the depth of every dead-letter queue in the stack', () => {
    // The notification consumer's DLQ arrives with its issue; any queue in the stack is watched.
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(api.notifications ? 1 : 0);
    expect(alarmsOn(template, 'ApproximateNumberOfMessagesVisible')).toHaveLength(queues.length);
    // A stack of its own: the shared synthesis stays as the app makes it.
    const own = synthesizeFresh({ stage: 'dev' }).api;
    const monitoring = own.node.findChild('Monitoring') as ApiMonitoring;
    const before = monitoring.alarms.length;
    new Queue(own, 'ExampleDlq');
    monitoring.watchDeadLetterQueues();
    const added = monitoring.alarms.slice(before);
    expect(added.length).toBeGreaterThanOrEqual(1);
    expect(added.some((alarm) => alarm.node.id === 'ExampleDlqDepth')).toBe(true);
  });
});
