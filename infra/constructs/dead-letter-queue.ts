/**
 * The one kind of queue this app has: where work that failed for good waits to be looked at and
 * replayed (a stream consumer's on-failure destination, a schedule's undeliverable runs, a
 * function's failed asynchronous invocations). Every one is encrypted, TLS-only, keeps messages
 * for the longest SQS allows, and is alarmed on by the monitoring construct.
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export class DeadLetterQueue extends Queue {
  /** What lands here, in a sentence (the security review's acknowledgement names it). */
  readonly holds: string;

  constructor(scope: Construct, id: string, holds: string) {
    super(scope, id, {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.holds = holds;
  }
}
