import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_RETRY_ATTEMPTS } from '#infra/constructs/outbox-stream.ts';
import { appFunctionsOf, PROD_DELIVERY, resourcesOf, synthesize, type TemplateResource } from './stacks.ts';

const EMAIL_FROM = 'referrals@partners.example';
const APP_BASE_URL = 'https://console.partners.example';

type Statement = { Action: string | string[]; Resource: unknown };

const logicalIdOf = (template: Template, type: string): string => {
  const [entry, ...rest] = resourcesOf(template, type);
  expect(rest, type).toHaveLength(0);
  return entry![0];
};

const consumer = (template: Template): [string, TemplateResource] => {
  const matches = resourcesOf(template, 'AWS::Lambda::Function').filter(([, fn]) =>
    JSON.stringify(fn.Properties.Environment ?? {}).includes('EVENT_BUS_NAME'),
  );
  expect(matches).toHaveLength(1);
  return matches[0]!;
};

/** Every policy statement attached to a function's role. */
const statementsOf = (template: Template, fn: TemplateResource): Statement[] => {
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(`"${role}"`))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

describe('notification consumer (CDK)', () => {
  const { dataTemplate, apiTemplate, api } = synthesize({
    stage: 'dev',
    emailFrom: EMAIL_FROM,
    appBaseUrl: APP_BASE_URL,
    consoleCertificateArn: PROD_DELIVERY.consoleCertificateArn,
  });
  const [consumerId, consumerFn] = consumer(apiTemplate);
  const dlqId = api.getLogicalId(api.notifications!.dlq.node.defaultChild as never);
  const configurationSetId = logicalIdOf(apiTemplate, 'AWS::SES::ConfigurationSet');
  const busId = logicalIdOf(apiTemplate, 'AWS::Events::EventBus');

  it('creates the SES email identity of emailFrom in the data stack', () => {
    dataTemplate.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: EMAIL_FROM });
  });

  it('reads the table stream, filtered to outbox inserts, with partial batch failures, bisect, bounded retries and a DLQ', () => {
    // The webhook fan-out has its own mapping (test/infra/webhooks.test.ts).
    const mappings = resourcesOf(apiTemplate, 'AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) =>
        JSON.stringify(mapping.Properties.FunctionName) === JSON.stringify({ Ref: consumerId }),
    );
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0]!;
    expect(mapping.Properties).toMatchObject({
      FunctionName: { Ref: consumerId },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: NOTIFICATION_RETRY_ATTEMPTS,
      MaximumRecordAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    expect(JSON.stringify(mapping.Properties.EventSourceArn)).toContain('StreamArn');
    const filters = (mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['Outbox'] } } } },
    ]);
  });

  it('keeps failed batches in an encrypted, SSL-only queue for 14 days, and alarms on its depth', () => {
    apiTemplate.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    apiTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const depthAlarms = resourcesOf(apiTemplate, 'AWS::CloudWatch::Alarm').filter(
      ([, alarm]) =>
        alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        JSON.stringify(alarm.Properties.Dimensions).includes(dlqId),
    );
    expect(depthAlarms).toHaveLength(1);
    expect(depthAlarms[0]![1].Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('tells the consumer the sender, the console URL, the bus and the configuration set', () => {
    expect(consumerFn.Properties.Environment).toMatchObject({
      Variables: {
        EMAIL_FROM,
        APP_BASE_URL,
        EVENT_BUS_NAME: { Ref: busId },
        SES_CONFIGURATION_SET: { Ref: configurationSetId },
        TABLE_NAME: { 'Fn::ImportValue': expect.stringContaining('CoSell-dev-Data') },
      },
    });
    expect(api.notifications?.function.function.timeout?.toSeconds()).toBe(60);
  });

  it('lets only the consumer send email, only from the identity, and put events only on the bus', () => {
    const statements = statementsOf(apiTemplate, consumerFn);
    const ses = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('ses:')),
    );
    expect(ses.flatMap(actionsOf).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    const resources = ses.flatMap((statement) => [statement.Resource].flat()).map((r) => JSON.stringify(r));
    // The address, its domain (whichever the operator verified), and the configuration set; nothing else.
    expect(resources).toHaveLength(3);
    expect(resources.filter((r) => r.includes(`:identity/${EMAIL_FROM}`))).toHaveLength(1);
    expect(resources.filter((r) => r.includes(':identity/partners.example"'))).toHaveLength(1);
    expect(resources.filter((r) => r.includes(':configuration-set/'))).toHaveLength(1);
    expect(resources.join()).toContain(configurationSetId);
    const events = statements.filter((statement) => actionsOf(statement).includes('events:PutEvents'));
    expect(events).toHaveLength(1);
    expect(events[0]!.Resource).toEqual({ 'Fn::GetAtt': [busId, 'Arn'] });

    // Besides the consumer, only the webhook delivery function sends email (test/infra/webhooks.test.ts).
    const webhookDeliveryId = api.getLogicalId(api.webhooks!.delivery.function.node.defaultChild as never);
    for (const [id, fn] of appFunctionsOf(apiTemplate)) {
      if (id === consumerId) continue;
      const actions = statementsOf(apiTemplate, fn).flatMap(actionsOf);
      expect(
        actions.filter((action) => action.startsWith('events:')),
        id,
      ).toEqual([]);
      if (id !== webhookDeliveryId)
        expect(
          actions.filter((action) => action.startsWith('ses:')),
          id,
        ).toEqual([]);
    }
  });

  it('never imports the email identity from the data stack: the sender can change without blocking a deploy', () => {
    const exports = Object.keys(dataTemplate.toJSON().Outputs ?? {});
    const identityExports = exports.filter((name) => /EmailIdentity/i.test(name));
    expect(identityExports).toEqual([]);
    expect(JSON.stringify(apiTemplate.toJSON())).not.toMatch(/ImportValue[^}]*EmailIdentity/);
  });

  it('sends through a configuration set that suppresses bounces and complaints and publishes them as metrics', () => {
    apiTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'CoSell-dev-Api-email',
      SuppressionOptions: { SuppressedReasons: Match.arrayWith(['BOUNCE', 'COMPLAINT']) },
    });
    apiTemplate.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configurationSetId },
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        CloudWatchDestination: {
          DimensionConfigurations: [
            {
              DimensionName: 'ses:configuration-set',
              DimensionValueSource: 'messageTag',
              DefaultDimensionValue: 'none',
            },
          ],
        },
      }),
    });
  });

  it('alarms on bounces and on any complaint of the configuration set', () => {
    for (const [metric, threshold] of [
      ['Bounce', 3],
      ['Complaint', 1],
    ] as const) {
      apiTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SES',
        MetricName: metric,
        Dimensions: [{ Name: 'ses:configuration-set', Value: { Ref: configurationSetId } }],
        Threshold: threshold,
        Statistic: 'Sum',
      });
    }
  });

  it('creates the domain event bus', () => {
    apiTemplate.hasResourceProperties('AWS::Events::EventBus', { Name: 'CoSell-dev-Api-domain-events' });
  });
});
