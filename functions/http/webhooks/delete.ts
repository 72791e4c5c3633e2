import { deleteWebhook } from '#domain/webhooks/manage.ts';
import { webhookAdminDeps } from '../../composition/webhooks.ts';
import { memberRoute } from '../route.ts';
import { WebhookParams } from '../schemas/webhooks.ts';

export const handler = memberRoute(
  {
    description: 'Removes the endpoint; no further delivery is attempted.',
    responses: { 204: null },
    params: WebhookParams,
    summary: 'Delete a webhook endpoint',
  },
  async ({ actor, deps, params }) => {
    await deleteWebhook(webhookAdminDeps(deps), actor, params.id);
    return { status: 204 };
  },
);
