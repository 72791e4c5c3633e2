/**
 * Operational monitoring of the API stack: CloudWatch alarms (to one SNS topic) and the HTTP API's
 * access log. Every function of the stack is found through the construct tree, so functions added
 * later (the stream consumer) are watched without changes here; likewise every SQS queue of the
 * stack, which by design are all dead-letter queues (on-failure destinations).
 */
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { CfnStage, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AppFunction } from './app-function.ts';

export type ApiMonitoringProps = {
  stage: HttpStage;
  table: ITable;
  /** The scheduled expiry job: its failures get their own, clearly named alarm. */
  expiryFunction?: AppFunction;
  /** Functions fed by the table's stream: how far behind they read gets an alarm. */
  streamConsumers?: AppFunction[];
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
};

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The access log: one JSON line per request the API receives, including those the authorizer or the
 * throttle rejected before any function ran. Request id, route, status, latency and errors only:
 * no source IP, user agent, token claims or anything else that identifies a person.
 */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  requestTime: '$context.requestTimeEpoch',
});

export class ApiMonitoring extends Construct {
  /** Every alarm notifies this topic; subscribe the on-call address or a chat integration to it. */
  readonly topic: Topic;
  readonly accessLogs: LogGroup;
  readonly alarms: Alarm[] = [];
  private readonly watchedQueues = new Set<Queue>();

  constructor(scope: Construct, id: string, props: ApiMonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'Co-sell API alarms', enforceSSL: true });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const cfnStage = props.stage.node.defaultChild as CfnStage;
    cfnStage.accessLogSettings = {
      destinationArn: this.accessLogs.logGroupArn,
      format: ACCESS_LOG_FORMAT,
    };

    // API: server errors (any 5xx, including a function that failed or timed out) and slow answers.
    this.alarm('Api5xx', props.stage.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }), {
      threshold: 5,
      description: 'The HTTP API answered 5 or more 5xx responses within 5 minutes.',
    });
    this.alarm('ApiLatencyP99', props.stage.metricLatency({ period: FIVE_MINUTES, statistic: Stats.p(99) }), {
      threshold: 2000,
      evaluationPeriods: 3,
      description: 'The p99 latency of the HTTP API stayed above 2 s for 15 minutes.',
    });

    // DynamoDB: requests the table throttled (on-demand tables throttle on sudden peaks and hot keys).
    this.alarm(
      'TableThrottles',
      props.table.metricThrottledRequestsForOperations({
        operations: [
          Operation.GET_ITEM,
          Operation.BATCH_GET_ITEM,
          Operation.QUERY,
          Operation.PUT_ITEM,
          Operation.UPDATE_ITEM,
          Operation.DELETE_ITEM,
          Operation.TRANSACT_WRITE_ITEMS,
          Operation.BATCH_WRITE_ITEM,
        ],
        period: FIVE_MINUTES,
      }),
      { threshold: 1, description: 'DynamoDB throttled requests of the co-sell table.' },
    );

    const functions = Stack.of(this)
      .node.findAll()
      .filter((node): node is AppFunction => node instanceof AppFunction);
    for (const fn of functions) {
      const name = fn.node.id;
      this.alarm(`${name}Errors`, fn.function.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }), {
        threshold: 1,
        description:
          fn === props.expiryFunction
            ? 'The invitation expiry job failed: invitations may stay unexpired and reminders unsent.'
            : `The function ${name} failed (an invocation error, not a problem response).`,
      });
      this.alarm(
        `${name}Throttles`,
        fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        {
          threshold: 1,
          description: `Lambda throttled ${name} (account or reserved concurrency reached).`,
        },
      );
    }

    for (const consumer of props.streamConsumers ?? []) {
      this.alarm(
        `${consumer.node.id}IteratorAge`,
        consumer.function.metric('IteratorAge', { period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
        {
          threshold: 5 * 60_000,
          description: `${consumer.node.id} reads the table stream more than 5 minutes behind: notifications are late.`,
        },
      );
    }

    this.watchDeadLetterQueues();
  }

  /**
   * Any message in a dead-letter queue is work that failed for good (e.g. an email never sent).
   * Runs at construction; call it again for queues added to the stack afterwards.
   */
  watchDeadLetterQueues(): void {
    const queues = Stack.of(this)
      .node.findAll()
      .filter((node): node is Queue => node instanceof Queue);
    for (const queue of queues) {
      if (this.watchedQueues.has(queue)) continue;
      this.watchedQueues.add(queue);
      const name = queue.node.path.split('/').slice(1).join('');
      this.alarm(
        `${name}Depth`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
        { threshold: 1, description: `Messages are waiting in the dead-letter queue ${queue.node.path}.` },
      );
    }
  }

  private alarm(
    id: string,
    metric: IMetric,
    options: { threshold: number; description: string; evaluationPeriods?: number },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}
