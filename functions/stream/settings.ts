/**
 * The notification consumer's configuration, from the environment, read when first needed:
 * `EMAIL_FROM`, `APP_BASE_URL`, and where events go — `EVENT_BUS_NAME` (AWS and the local runtime)
 * or `EVENTS_FILE` (JSON lines, for tests that call the handler in-process). `SES_ENDPOINT` and
 * `EVENTBRIDGE_ENDPOINT` only locally (the emulators). `SES_CONFIGURATION_SET` (required) names the
 * SES configuration set every email is sent with (bounce and complaint tracking): an email sent
 * without it would escape the suppression list and the bounce alarms.
 */
import { required } from '../config.ts';

export type NotificationSettings = {
  emailFrom: string;
  appBaseUrl: string;
  sesEndpoint?: string;
  sesConfigurationSet: string;
  eventBusName?: string;
  eventBridgeEndpoint?: string;
  eventsFile?: string;
};

let cached: NotificationSettings | undefined;

export const notificationSettings = (): NotificationSettings => {
  if (!cached) {
    const eventBusName = process.env.EVENT_BUS_NAME || undefined;
    const eventsFile = process.env.EVENTS_FILE || undefined;
    if (!eventBusName && !eventsFile) throw new Error('Set EVENT_BUS_NAME (AWS) or EVENTS_FILE (local)');
    cached = {
      emailFrom: required('EMAIL_FROM'),
      appBaseUrl: required('APP_BASE_URL'),
      ...(process.env.SES_ENDPOINT ? { sesEndpoint: process.env.SES_ENDPOINT } : {}),
      sesConfigurationSet: required('SES_CONFIGURATION_SET'),
      ...(eventBusName ? { eventBusName } : {}),
      ...(process.env.EVENTBRIDGE_ENDPOINT ? { eventBridgeEndpoint: process.env.EVENTBRIDGE_ENDPOINT } : {}),
      ...(eventsFile ? { eventsFile } : {}),
    };
  }
  return cached;
};

export const resetNotificationSettings = (): void => {
  cached = undefined;
};
