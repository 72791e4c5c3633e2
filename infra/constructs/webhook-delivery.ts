/**
 * Webhooks (docs/data-model.md "Webhooks"): a second consumer of the table's stream (same outbox
 * filter, its own event source mapping, retries and DLQ, so it and the email consumer never hold
 * each other back) queues deliveries; an EventBridge Scheduler schedule invokes the delivery
 * function every minute for a 50-second sweep (new deliveries leave within seconds, the first
 * retry within a minute). Runs may overlap: each attempt is claimed by a conditional write. The
 * delivery function sends to receivers on the internet (no VPC) and emails org admins when an
 * endpoint is disabled.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import {
  type EnvValues,
  WEBHOOK_DELIVERY_FUNCTION,
  WEBHOOK_FAN_OUT_FUNCTION,
} from '#functions/environment.ts';
import { WEBHOOK_DELIVERY_TABLE_ACCESS, WEBHOOK_FAN_OUT_TABLE_ACCESS } from '#functions/table-access.ts';
import type { AppFunction } from './app-function.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { FunctionFactory } from './function-factory.ts';
import { allowSending } from './notifications.ts';
import { OUTBOX_CONSUMER_CONCURRENCY, outboxInserts } from './outbox-stream.ts';

/** The webhook delivery schedule's period; each run sweeps for `WEBHOOK_SWEEP_SECONDS` of it. */
export const WEBHOOK_SCHEDULE_MINUTES = 1;
export const WEBHOOK_SWEEP_SECONDS = 50;

/**
 * A sweep runs every minute and may last a little longer (its last attempts), so two may overlap;
 * a third would only find the same due deliveries.
 */
export const WEBHOOK_DELIVERY_CONCURRENCY = 2;

export type WebhookDeliveryProps = {
  table: ITable;
  functions: FunctionFactory;
  environmentValues: Partial<EnvValues>;
  /** Where the disabled-endpoint emails go out: the sender and the SES configuration set. */
  email: { from: string; configurationSetName: string };
};

export class WebhookDelivery extends Construct {
  readonly fanOut: AppFunction;
  readonly fanOutDlq: DeadLetterQueue;
  readonly delivery: AppFunction;
  readonly dlqs: { schedule: DeadLetterQueue; invocations: DeadLetterQueue };

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    this.fanOut = props.functions(this, WEBHOOK_FAN_OUT_FUNCTION, WEBHOOK_FAN_OUT_TABLE_ACCESS, {
      timeout: Duration.seconds(30),
      reservedConcurrency: OUTBOX_CONSUMER_CONCURRENCY,
    });
    this.fanOutDlq = new DeadLetterQueue(
      this,
      'FanOutDlq',
      'the webhook fan-out’s stream batches that still failed after their retries',
    );
    this.fanOut.function.addEventSource(outboxInserts(props.table, 25, this.fanOutDlq));

    this.delivery = props.functions(this, WEBHOOK_DELIVERY_FUNCTION, WEBHOOK_DELIVERY_TABLE_ACCESS, {
      // The sweep, then up to 10 s for the last attempts it started, and a margin.
      timeout: Duration.seconds(WEBHOOK_SWEEP_SECONDS + 25),
      // It mostly waits on receivers and runs most of every minute: a small size keeps it cheap.
      memorySize: 256,
      reservedConcurrency: WEBHOOK_DELIVERY_CONCURRENCY,
      environmentValues: {
        ...props.environmentValues,
        SES_CONFIGURATION_SET: props.email.configurationSetName,
      },
    });
    allowSending(this.delivery, props.email.from, props.email.configurationSetName);
    const schedule = new DeadLetterQueue(
      this,
      'ScheduleDlq',
      'webhook delivery runs the scheduler could not deliver',
    );
    const invocations = new DeadLetterQueue(this, 'FailuresDlq', 'webhook delivery runs that failed');
    // A missed run is not retried: the next one, a minute later, finds the same due deliveries.
    this.delivery.function.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.minutes(2),
      onFailure: new SqsDestination(invocations),
    });
    new Schedule(this, 'Schedule', {
      description: 'Send due webhook deliveries and retries',
      schedule: ScheduleExpression.rate(Duration.minutes(WEBHOOK_SCHEDULE_MINUTES)),
      target: new LambdaInvoke(this.delivery.function, {
        input: ScheduleTargetInput.fromObject({ sweepSeconds: WEBHOOK_SWEEP_SECONDS }),
        retryAttempts: 0,
        maxEventAge: Duration.minutes(2),
        deadLetterQueue: schedule,
      }),
    });
    this.dlqs = { schedule, invocations };
  }
}
