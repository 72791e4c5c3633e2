import { authorizeWebhookSend, testWebhook } from '#domain/webhooks/manage.ts';
import { webhookAdminDeps } from '../../composition/webhooks.ts';
import { memberRoute } from '../route.ts';
import { QueuedDelivery, WebhookParams } from '../schemas/webhooks.ts';

export const handler = memberRoute(
  {
    description:
      'Queues one `webhook.test` delivery to check the receiver and its signature verification (400 while the endpoint is disabled).',
    authorize: ({ deps, actor, params }) =>
      authorizeWebhookSend(webhookAdminDeps(deps), actor, { webhookId: params.id }),
    responses: { 202: QueuedDelivery },
    params: WebhookParams,
    noBody: true,
    summary: 'Send one webhook.test delivery to the endpoint',
  },
  async ({ actor, deps, params }) => {
    const delivery = await testWebhook(webhookAdminDeps(deps), actor, params.id);
    return { status: 202, body: { deliveryId: delivery.id, eventId: delivery.eventId } };
  },
);
