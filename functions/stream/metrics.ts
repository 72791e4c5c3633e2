/** The NotificationMetrics port on the app's Powertools metrics (observability.ts; off outside Lambda). */
import type { NotificationMetrics } from '#domain/notifications/ports.ts';
import { METRIC, recordMetric } from '../observability.ts';

export const powertoolsNotificationMetrics: NotificationMetrics = {
  event: (type) => recordMetric(METRIC.domainEvents, 1, { eventType: type }),
  emailSent: () => recordMetric(METRIC.emailsSent),
  emailFailed: () => recordMetric(METRIC.emailsFailed),
  emailRejected: () => recordMetric(METRIC.emailsRejected),
};
