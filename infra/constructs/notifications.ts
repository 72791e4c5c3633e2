/**
 * Notifications (docs/domain.md §7): the outbox consumer of the table's stream publishes each event
 * to the domain event bus and sends its emails through an SES configuration set whose bounces and
 * complaints feed the account's suppression list and the alarms. The sender's identity is named by
 * its ARN, built from `emailFrom`, never imported from the data stack: a cross-stack export could
 * not change while imported, so a new sender would block deploys.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { type EnvValues, NOTIFICATION_FUNCTION } from '#functions/environment.ts';
import { NOTIFICATION_CONSUMER_TABLE_ACCESS } from '#functions/table-access.ts';
import { SES_CONFIGURATION_SET_DIMENSION } from './api-monitoring.ts';
import type { AppFunction } from './app-function.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { FunctionFactory } from './function-factory.ts';
import { keepLogicalId } from './keep-logical-id.ts';
import { OUTBOX_CONSUMER_CONCURRENCY, outboxInserts } from './outbox-stream.ts';

export type NotificationsProps = {
  table: ITable;
  emailFrom: string;
  environmentValues: Partial<EnvValues>;
  functions: FunctionFactory;
};

/** SES authorizes a send against the verified identity (the address, or its whole domain) and the configuration set. */
export const allowSending = (fn: AppFunction, emailFrom: string, configurationSetName: string): void => {
  const stack = Stack.of(fn);
  const domain = emailFrom.slice(emailFrom.lastIndexOf('@') + 1);
  fn.allow(
    new PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: emailFrom }),
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
        stack.formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: configurationSetName,
        }),
      ],
    }),
  );
};

export class Notifications extends Construct {
  readonly function: AppFunction;
  readonly bus: EventBus;
  readonly dlq: DeadLetterQueue;
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    // Both are named: they keep the ids they were first deployed under (keep-logical-id.ts).
    this.bus = new EventBus(this, 'DomainEvents', {
      eventBusName: `${stackName}-domain-events`,
      description: 'Co-sell domain events (source co-sell.referrals) for CRM connectors and webhooks',
    });
    keepLogicalId(this.bus, 'DomainEventsEB543A36');
    this.dlq = new DeadLetterQueue(
      this,
      'NotificationsDlq',
      'the notification consumer’s stream batches that still failed after their retries',
    );
    this.configurationSet = new ConfigurationSet(this, 'EmailConfigurationSet', {
      configurationSetName: `${stackName}-email`,
      // Addresses that bounce hard or complain go to the account's suppression list: SES refuses
      // them from then on instead of hurting the account's reputation again.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    keepLogicalId(this.configurationSet, 'EmailConfigurationSet096C0FB5');
    const destination = this.configurationSet.addEventDestination('CloudWatch', {
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
      ],
      destination: EventDestination.cloudWatchDimensions([
        {
          name: SES_CONFIGURATION_SET_DIMENSION,
          source: CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: 'none',
        },
      ]),
    });
    keepLogicalId(destination, 'EmailConfigurationSetCloudWatchBFDEB86E');
    this.function = props.functions(this, NOTIFICATION_FUNCTION, NOTIFICATION_CONSUMER_TABLE_ACCESS, {
      timeout: Duration.seconds(60),
      reservedConcurrency: OUTBOX_CONSUMER_CONCURRENCY,
      environmentValues: {
        ...props.environmentValues,
        EVENT_BUS_NAME: this.bus.eventBusName,
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
      },
    });
    allowSending(this.function, props.emailFrom, this.configurationSet.configurationSetName);
    this.bus.grantPutEventsTo(this.function.function);
    this.function.function.addEventSource(outboxInserts(props.table, 10, this.dlq));
  }
}
