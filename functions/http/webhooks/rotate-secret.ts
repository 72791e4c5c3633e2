import { authorizeRotateSecret, rotateWebhookSecret } from '#domain/webhooks/manage.ts';
import { webhookAdminDeps } from '../../composition/webhooks.ts';
import { memberRoute } from '../route.ts';
import { RotatedWebhookView, WebhookParams, webhookView } from '../schemas/webhooks.ts';

export const handler = memberRoute(
  {
    description:
      'Replaces the endpoint’s `whsec_` signing secret (org-admin). The new secret is shown only here: an idempotent replay answers without it (header `shown-only-once: secret`). For 24 hours every delivery carries two signatures in `webhook-signature`, with the new secret and the replaced one, so the receiver may switch at any time in between.',
    responses: { 200: RotatedWebhookView },
    params: WebhookParams,
    noBody: true,
    shownOnce: ['secret'],
    authorize: ({ deps, actor, params }) => authorizeRotateSecret(webhookAdminDeps(deps), actor, params.id),
    summary: 'Rotate the signing secret (both secrets sign for 24 hours)',
  },
  async ({ actor, deps, params }) => {
    const { webhook, secret } = await rotateWebhookSecret(webhookAdminDeps(deps), actor, params.id);
    return {
      status: 200,
      body: {
        ...webhookView(webhook),
        secret,
        previousSecretExpiresAt: webhook.previousSecret!.until,
      },
    };
  },
);
