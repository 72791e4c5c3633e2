import { authorizeWebhookSend, redeliver } from '#domain/webhooks/manage.ts';
import { webhookAdminDeps } from '../../composition/webhooks.ts';
import { memberRoute } from '../route.ts';
import { DeliveryParams, QueuedDelivery } from '../schemas/webhooks.ts';

export const handler = memberRoute(
  {
    description:
      'Queues a new delivery of the same event with the same `webhook-id` and body, so receivers can deduplicate it.',
    authorize: ({ deps, actor, params }) =>
      authorizeWebhookSend(webhookAdminDeps(deps), actor, {
        webhookId: params.id,
        deliveryId: params.deliveryId,
      }),
    responses: { 202: QueuedDelivery },
    params: DeliveryParams,
    noBody: true,
    summary: "Send a delivery's event again (same webhook-id and body)",
  },
  async ({ actor, deps, params }) => {
    const delivery = await redeliver(webhookAdminDeps(deps), actor, params.id, params.deliveryId);
    return { status: 202, body: { deliveryId: delivery.id, eventId: delivery.eventId } };
  },
);
