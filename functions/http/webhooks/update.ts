import { updateWebhook } from '#domain/webhooks/manage.ts';
import { webhookAdminDeps } from '../../composition/webhooks.ts';
import { memberRoute } from '../route.ts';
import { UpdateWebhookBody, WebhookParams, WebhookView, webhookView } from '../schemas/webhooks.ts';

export const handler = memberRoute(
  {
    description:
      "Changes the URL or the event types, or disables or re-activates the endpoint (re-activating clears the platform's disable).",
    examples: {
      events: {
        summary: 'Narrow the subscription',
        value: { events: ['deal.closed', 'registration.reviewed'] },
      },
    },
    responses: { 200: WebhookView },
    params: WebhookParams,
    body: UpdateWebhookBody,
    summary: 'Change, disable or re-activate a webhook endpoint',
  },
  async ({ actor, deps, params, body }) => ({
    status: 200,
    body: webhookView(await updateWebhook(webhookAdminDeps(deps), actor, params.id, body)),
  }),
);
