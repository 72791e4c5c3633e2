import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, type Synthesized, synthesize } from './stacks.ts';

let app: Synthesized;
beforeAll(() => {
  app = synthesize({ stage: 'dev' });
});

describe('the invitation expiry schedule', () => {
  it('invokes the expiry function every 5 minutes through EventBridge Scheduler, with retries', () => {
    const fn = app.api.expiry.function;
    expect(fn).toBeDefined();
    const functionId = app.api.getLogicalId(fn?.function.node.defaultChild as never);
    app.apiTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 240 },
      }),
    });
  });

  it('runs the scheduled handler on arm64 Node 22 with read-write access to the table', () => {
    const functions = resourcesOf(app.apiTemplate, 'AWS::Lambda::Function').filter(
      ([, resource]) => resource.Properties.Description === 'Reminds and expires unanswered invitations',
    );
    expect(functions).toHaveLength(1);
    expect(functions[0]?.[1].Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 240,
      Environment: { Variables: expect.objectContaining({ TABLE_NAME: expect.anything() }) },
    });
    const policies = resourcesOf(app.apiTemplate, 'AWS::IAM::Policy').filter(([id]) =>
      id.startsWith('ExpiryExpireInvitations'),
    );
    const actions = JSON.stringify(policies.map(([, policy]) => policy.Properties));
    expect(actions).toContain('dynamodb:UpdateItem');
    expect(actions).toContain('dynamodb:Query');
  });

  it('cannot fail silently: a DLQ on the scheduler target and an on-failure destination for the async invocations, both alarmed', () => {
    const dlqs = app.api.expiry.dlqs;
    expect(dlqs).toBeDefined();
    const fn = app.api.expiry.function;
    const functionId = app.api.getLogicalId(fn.function.node.defaultChild as never);
    const scheduleDlq = app.api.getLogicalId(dlqs!.schedule.node.defaultChild as never);
    const failuresDlq = app.api.getLogicalId(dlqs!.invocations.node.defaultChild as never);
    expect(scheduleDlq).not.toBe(failuresDlq);

    app.apiTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [scheduleDlq, 'Arn'] } } }),
    });
    app.apiTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failuresDlq, 'Arn'] } } },
    });
    for (const queue of [scheduleDlq, failuresDlq]) {
      const alarms = resourcesOf(app.apiTemplate, 'AWS::CloudWatch::Alarm').filter(
        ([, alarm]) =>
          alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(alarm.Properties.Dimensions).includes(queue),
      );
      expect(alarms, queue).toHaveLength(1);
      expect(alarms[0]![1].Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });
});
