/**
 * The notification consumer's ports (functions/stream/send-notifications.ts): the stores of deps.ts
 * plus the SES mailer, the event publisher (EventBridge in AWS, a JSON-lines file locally), the
 * delivery log and metrics. Its clock is the system clock, not the domain clock the local runtime
 * moves: leases and TTLs are real time. Tests replace single ports with `overrideNotificationDeps`.
 */
import type { NotificationDeps } from '#domain/notifications/ports.ts';
import { createDocumentClient } from '../adapters/dynamo/client.ts';
import { DynamoDeliveryLog } from '../adapters/dynamo/delivery-log.ts';
import { EventBridgePublisher } from '../adapters/events/eventbridge-publisher.ts';
import { FilePublisher } from '../adapters/events/file-publisher.ts';
import { SesMailer } from '../adapters/ses/ses-mailer.ts';
import { systemClock } from '../adapters/system.ts';
import { tableConfig } from '../config.ts';
import { powertoolsNotificationMetrics } from '../stream/metrics.ts';
import { notificationSettings } from '../stream/settings.ts';
import { getDeps } from './deps.ts';

let deps: NotificationDeps | undefined;
let overrides: Partial<NotificationDeps> = {};

const build = (): NotificationDeps => {
  const { tableName, region, dynamodbEndpoint } = tableConfig();
  const settings = notificationSettings();
  const { orgs, memberships, deals, comments } = getDeps();
  return {
    clock: systemClock,
    orgs,
    memberships,
    deals,
    comments,
    mailer: new SesMailer({
      from: settings.emailFrom,
      region,
      ...(settings.sesEndpoint ? { endpoint: settings.sesEndpoint } : {}),
      configurationSet: settings.sesConfigurationSet,
    }),
    events: settings.eventBusName
      ? new EventBridgePublisher(settings.eventBusName, region, settings.eventBridgeEndpoint)
      : new FilePublisher(settings.eventsFile ?? 'events.jsonl'),
    deliveries: new DynamoDeliveryLog({
      db: createDocumentClient({ region, endpoint: dynamodbEndpoint }),
      tableName,
    }),
    metrics: powertoolsNotificationMetrics,
  };
};

export const getNotificationDeps = (): NotificationDeps => {
  deps ??= { ...build(), ...overrides };
  return deps;
};

export const overrideNotificationDeps = (partial: Partial<NotificationDeps>): void => {
  overrides = { ...overrides, ...partial };
  deps = undefined;
};

export const resetNotificationDeps = (): void => {
  overrides = {};
  deps = undefined;
};
