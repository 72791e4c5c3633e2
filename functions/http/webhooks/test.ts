import { testWebhook } from '#domain/webhooks/manage.ts';
import { webhookAdminDeps } from '../../webhooks/composition.ts';
import { memberRoute } from '../route.ts';
import { QueuedDelivery, WebhookParams } from '../schemas/webhooks.ts';

export const handler = memberRoute(
  {
    responses: { 202: QueuedDelivery },
    params: WebhookParams,
    summary: 'Send one webhook.test delivery to the endpoint',
  },
  async ({ actor, deps, params }) => {
    const delivery = await testWebhook(webhookAdminDeps(deps), actor, params.id);
    return { status: 202, body: { deliveryId: delivery.id, eventId: delivery.eventId } };
  },
);
