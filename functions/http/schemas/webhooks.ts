/** Request and response shapes of the webhook routes (docs/api.md "Webhooks"). */
import * as z from 'zod';
import {
  ALL_EVENTS,
  DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_STATUSES,
  type Webhook,
  type WebhookDelivery,
} from '#domain/webhooks/model.ts';
import { Id, PageQuery, pageOf, Timestamp } from './common.ts';

const Url = z.url().max(2048);
const Subscription = z.union([z.enum(WEBHOOK_EVENT_TYPES), z.literal(ALL_EVENTS)]);
const Events = z
  .array(Subscription)
  .min(1, 'Subscribe to at least one event type, or "*".')
  .max(WEBHOOK_EVENT_TYPES.length + 1);

export const WebhookParams = z.strictObject({ id: Id });
export const DeliveryParams = z.strictObject({ id: Id, deliveryId: Id });
export const DeliveriesQuery = z.strictObject({ ...PageQuery });

export const CreateWebhookBody = z.strictObject({
  url: Url,
  events: Events,
  description: z.string().trim().max(500).optional(),
});

export const UpdateWebhookBody = z
  .strictObject({
    url: Url.optional(),
    events: Events.optional(),
    status: z.enum(WEBHOOK_STATUSES).optional(),
  })
  .refine((body) => body.url !== undefined || body.events !== undefined || body.status !== undefined, {
    error: 'Give url, events or status.',
  });

export const WebhookView = z.object({
  id: Id,
  url: z.string(),
  events: z.array(Subscription),
  description: z.string().nullable(),
  status: z.enum(WEBHOOK_STATUSES),
  /** Why the platform disabled it (its deliveries failed for 24 hours); null otherwise. */
  disabledReason: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** Only the create response carries the secret, and only its first answer (not a replay). */
export const CreatedWebhookView = WebhookView.extend({
  secret: z
    .string()
    .optional()
    .describe(
      'The `whsec_` signing secret, in the first answer only: an idempotent replay of the request answers without it and with `shown-only-once: secret`.',
    ),
});

/** The answer to a rotation: the new secret (first answer only), and when the old one stops signing. */
export const RotatedWebhookView = CreatedWebhookView.extend({
  previousSecretExpiresAt: Timestamp.describe(
    'Until then every delivery is signed with both the new secret and the one it replaced.',
  ),
});

export const webhookView = (webhook: Webhook): z.infer<typeof WebhookView> => ({
  id: webhook.id,
  url: webhook.url,
  events: webhook.events,
  description: webhook.description ?? null,
  status: webhook.status,
  disabledReason: webhook.disabledReason ?? null,
  createdAt: webhook.createdAt,
  updatedAt: webhook.updatedAt,
});

export const WebhookList = z.object({ items: z.array(WebhookView) });

export const DeliveryView = z.object({
  id: Id,
  eventId: Id,
  type: z.enum(WEBHOOK_EVENT_TYPES),
  attempt: z.number().int(),
  status: z.enum(DELIVERY_STATUSES),
  /** The last attempt's HTTP status; null before the first attempt or when no response came. */
  responseStatus: z.number().int().nullable(),
  /** Why the last attempt got no response (timeout, refused address), or why it was not attempted. */
  error: z.string().nullable(),
  /** When the delivery last changed. */
  at: Timestamp,
  /** Pending only: when the next attempt is due. */
  nextAttemptAt: Timestamp.nullable(),
});

export const deliveryView = (delivery: WebhookDelivery): z.infer<typeof DeliveryView> => ({
  id: delivery.id,
  eventId: delivery.eventId,
  type: delivery.type,
  attempt: delivery.attempt,
  status: delivery.status,
  responseStatus: delivery.responseStatus ?? null,
  error: delivery.error ?? null,
  at: delivery.at,
  nextAttemptAt: delivery.status === 'pending' ? (delivery.dueAt ?? null) : null,
});

export const DeliveryPage = pageOf(DeliveryView);

/** 202: the delivery queued (sent within seconds). */
export const QueuedDelivery = z.object({ deliveryId: Id, eventId: Id });
