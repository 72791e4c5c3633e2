import { getWebhook } from '#domain/webhooks/manage.ts';
import { webhookAdminDeps } from '../../composition/webhooks.ts';
import { memberRoute } from '../route.ts';
import { WebhookParams, WebhookView, webhookView } from '../schemas/webhooks.ts';

export const handler = memberRoute(
  {
    description: 'The endpoint without its secret; `disabledReason` says why the platform disabled it.',
    responses: { 200: WebhookView },
    params: WebhookParams,
    summary: 'One webhook endpoint',
  },
  async ({ actor, deps, params }) => ({
    status: 200,
    body: webhookView(await getWebhook(webhookAdminDeps(deps), actor, params.id)),
  }),
);
