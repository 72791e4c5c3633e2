import { listWebhooks } from '#domain/webhooks/manage.ts';
import { webhookAdminDeps } from '../../composition/webhooks.ts';
import { memberRoute } from '../route.ts';
import { WebhookList, webhookView } from '../schemas/webhooks.ts';

export const handler = memberRoute(
  {
    description: "The caller's org's endpoints, without their secrets.",
    responses: { 200: WebhookList },
    summary: "The org's webhook endpoints",
  },
  async ({ actor, deps }) => ({
    status: 200,
    body: { items: (await listWebhooks(webhookAdminDeps(deps), actor)).map(webhookView) },
  }),
);
