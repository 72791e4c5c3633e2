/**
 * The expiry job (docs/domain.md §3, §7): an EventBridge Scheduler schedule every 5 minutes invokes
 * the function. A failed run is retried twice while still fresh; a run that finds nothing due costs
 * one Query, and runs are safe to overlap, so the schedule needs no locking.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { EXPIRY_FUNCTION } from '#functions/environment.ts';
import { EXPIRY_JOB_TABLE_ACCESS } from '#functions/table-access.ts';
import type { AppFunction } from './app-function.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { FunctionFactory } from './function-factory.ts';

export const EXPIRY_SCHEDULE_MINUTES = 5;

/**
 * A run takes seconds and the schedule is every 5 minutes: two at once (a retry beside the next run)
 * is more than the job needs; one throttled beyond that is retried by Lambda's async queue within its
 * maximum event age.
 */
export const EXPIRY_CONCURRENCY = 2;

export class ExpiryJob extends Construct {
  readonly function: AppFunction;
  /**
   * Where failed runs land: runs the scheduler could not hand to Lambda, and runs Lambda accepted
   * but that failed (after its own retries, or too old to retry). Both are alarmed.
   */
  readonly dlqs: { schedule: DeadLetterQueue; invocations: DeadLetterQueue };

  constructor(scope: Construct, id: string, props: { functions: FunctionFactory }) {
    super(scope, id);
    this.function = props.functions(this, EXPIRY_FUNCTION, EXPIRY_JOB_TABLE_ACCESS, {
      timeout: Duration.minutes(4),
      reservedConcurrency: EXPIRY_CONCURRENCY,
    });
    const schedule = new DeadLetterQueue(this, 'ScheduleDlq', 'expiry runs the scheduler could not deliver');
    const invocations = new DeadLetterQueue(
      this,
      'FailuresDlq',
      'expiry runs that failed after their retries',
    );
    this.function.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.minutes(EXPIRY_SCHEDULE_MINUTES * 2),
      onFailure: new SqsDestination(invocations),
    });
    new Schedule(this, 'Schedule', {
      description: 'Remind and expire unanswered co-sell invitations',
      schedule: ScheduleExpression.rate(Duration.minutes(EXPIRY_SCHEDULE_MINUTES)),
      target: new LambdaInvoke(this.function.function, {
        retryAttempts: 2,
        maxEventAge: Duration.minutes(4),
        deadLetterQueue: schedule,
      }),
    });
    this.dlqs = { schedule, invocations };
  }
}
