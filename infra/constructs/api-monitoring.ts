/**
 * Operational monitoring of the API stack: CloudWatch alarms (to one SNS topic) and the HTTP API's
 * access log. Every function of the stack is found through the construct tree, so functions added
 * later (the stream consumer) are watched without changes here; likewise every SQS queue of the
 * stack, which by design are all dead-letter queues (on-failure destinations).
 */
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { CfnStage, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INDEXES } from '#functions/adapters/dynamo/table.ts';
import { AppFunction } from './app-function.ts';

/** The SES auto-tag that carries the configuration set's name: the dimension of its CloudWatch metrics. */
export const SES_CONFIGURATION_SET_DIMENSION = 'ses:configuration-set';

/** Every DynamoDB operation the functions use (ThrottledRequests is reported per operation). */
const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
  Operation.BATCH_WRITE_ITEM,
];

export type ApiMonitoringProps = {
  stage: HttpStage;
  table: ITable;
  /** The scheduled expiry job: its failures get their own, clearly named alarm. */
  expiryFunction?: AppFunction;
  /** Functions fed by the table's stream: how far behind they read gets an alarm. */
  streamConsumers?: AppFunction[];
  /** The SES configuration set notification emails go through: bounces and complaints get alarms. */
  emailConfigurationSet?: IConfigurationSet;
  /** An address subscribed to the alarm topic (it confirms the subscription from the first email). */
  alarmEmail?: string;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
};

const FIVE_MINUTES = Duration.minutes(5);
const ONE_HOUR = Duration.hours(1);

/**
 * The sum of several counts where a missing data point counts as zero. Plain `m1 + m2` is missing
 * wherever any one of them is (a metric only has data when something was throttled), so an alarm on
 * it would stay silent exactly when one operation throttles and the others do not.
 */
/** CloudWatch takes at most ten metrics in one alarm's math expression. */
const MAX_METRICS_PER_ALARM = 10;

const sumAsZeroWhenMissing = (label: string, metrics: IMetric[]): MathExpression =>
  new MathExpression({
    label,
    period: FIVE_MINUTES,
    expression: metrics.map((_, i) => `FILL(m${i}, 0)`).join(' + '),
    usingMetrics: Object.fromEntries(metrics.map((metric, i) => [`m${i}`, metric])),
  });

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
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

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

    // DynamoDB: requests the table throttled (on-demand tables throttle on sudden peaks and hot keys),
    // and throttling of the GSIs (a throttled index write also slows every write of its items).
    const dynamo = (metricName: string, dimensionsMap: Record<string, string>) =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: props.table.tableName, ...dimensionsMap },
        statistic: Stats.SUM,
        period: FIVE_MINUTES,
      });
    this.alarm(
      'TableThrottles',
      sumAsZeroWhenMissing(
        'Throttled requests',
        TABLE_OPERATIONS.map((operation) => dynamo('ThrottledRequests', { Operation: operation })),
      ),
      { threshold: 1, description: 'DynamoDB throttled requests of the co-sell table.' },
    );
    // One alarm per metric: CloudWatch takes at most 10 metrics per alarm, one per index here.
    for (const [kind, metricName] of [
      ['Read', 'ReadThrottleEvents'],
      ['Write', 'WriteThrottleEvents'],
    ] as const) {
      this.alarm(
        `Index${kind}Throttles`,
        sumAsZeroWhenMissing(
          `Throttled index ${kind.toLowerCase()}s`,
          INDEXES.map((index) => dynamo(metricName, { GlobalSecondaryIndexName: index.name })),
        ),
        {
          threshold: 1,
          description: `DynamoDB throttled ${kind.toLowerCase()}s of a GSI of the co-sell table.`,
        },
      );
    }

    const functions = Stack.of(this)
      .node.findAll()
      .filter((node): node is AppFunction => node instanceof AppFunction);
    // The expiry job's failures get an alarm of their own that says what they hold up. Every other
    // function's errors and every function's throttles are grouped ten to an alarm (CloudWatch's
    // metric limit per alarm), so alarms do not grow with functions; the alarm's metrics still name
    // the function.
    if (props.expiryFunction) {
      this.alarm(
        `${props.expiryFunction.node.id}Errors`,
        props.expiryFunction.function.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        {
          threshold: 1,
          description:
            'The invitation expiry job failed: invitations may stay unexpired and reminders unsent.',
        },
      );
    }
    this.groupedAlarms(
      'FunctionErrors',
      functions.filter((fn) => fn !== props.expiryFunction),
      (fn) => fn.function.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      'errors',
      (names) => `One of ${names} failed (an invocation error, not a problem response).`,
    );
    this.groupedAlarms(
      'FunctionThrottles',
      functions,
      (fn) => fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      'throttles',
      (names) => `Lambda throttled one of ${names} (account or reserved concurrency reached).`,
    );

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

    if (props.emailConfigurationSet) this.watchEmailReputation(props.emailConfigurationSet);

    this.watchDeadLetterQueues();
  }

  /**
   * Bounces and complaints of the notification emails, from the configuration set's CloudWatch event
   * destination. SES reviews (and may pause) accounts above 5 % bounces or 0.1 % complaints, so a few
   * bounces in an hour and any complaint need a look.
   */
  private watchEmailReputation(configurationSet: IConfigurationSet): void {
    const ses = (metricName: string) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        dimensionsMap: { [SES_CONFIGURATION_SET_DIMENSION]: configurationSet.configurationSetName },
        statistic: Stats.SUM,
        period: ONE_HOUR,
      });
    this.alarm('EmailBounces', ses('Bounce'), {
      threshold: 3,
      description:
        'Notification emails bounced 3 or more times within an hour (the addresses are suppressed; check the recipients and the sender).',
    });
    this.alarm('EmailComplaints', ses('Complaint'), {
      threshold: 1,
      description: 'A recipient marked a notification email as spam (the address is suppressed).',
    });
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

  /** One alarm per ten functions on the sum of a metric of each (missing data counts as zero). */
  private groupedAlarms(
    idPrefix: string,
    functions: AppFunction[],
    metricOf: (fn: AppFunction) => IMetric,
    label: string,
    describe: (names: string) => string,
  ): void {
    for (let start = 0; start < functions.length; start += MAX_METRICS_PER_ALARM) {
      const group = functions.slice(start, start + MAX_METRICS_PER_ALARM);
      this.alarm(
        `${idPrefix}${start / MAX_METRICS_PER_ALARM + 1}`,
        sumAsZeroWhenMissing(label, group.map(metricOf)),
        { threshold: 1, description: describe(group.map((fn) => fn.node.id).join(', ')) },
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
