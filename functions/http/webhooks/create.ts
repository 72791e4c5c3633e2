import { authorizeCreateWebhook, createWebhook } from '#domain/webhooks/manage.ts';
import { webhookAdminDeps } from '../../composition/webhooks.ts';
import { memberRoute } from '../route.ts';
import { CreatedWebhookView, CreateWebhookBody, webhookView } from '../schemas/webhooks.ts';

export const handler = memberRoute(
  {
    description:
      'Registers an HTTPS endpoint for some or all event types (org-admin, at most 10 per org). The answer carries the `whsec_` signing secret, shown only here and never again: an idempotent replay answers without it (header `shown-only-once: secret`); deliveries are signed the Standard Webhooks way.',
    examples: {
      crm: {
        summary: "The CRM's receiver of every deal and invitation event",
        value: {
          url: 'https://crm.fabrikam.example/hooks/co-sell',
          events: ['*'],
          description: 'CRM sync',
        },
      },
    },
    authorize: ({ actor }) => authorizeCreateWebhook(actor),
    responses: { 201: CreatedWebhookView },
    body: CreateWebhookBody,
    shownOnce: ['secret'],
    summary: 'Register a webhook endpoint (the signing secret is shown only here)',
  },
  async ({ actor, deps, body }) => {
    const { webhook, secret } = await createWebhook(webhookAdminDeps(deps), actor, body);
    return {
      status: 201,
      body: { ...webhookView(webhook), secret },
      headers: { location: `/v1/webhooks/${webhook.id}` },
    };
  },
);
