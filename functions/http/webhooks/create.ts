import { createWebhook } from '#domain/webhooks/manage.ts';
import { webhookAdminDeps } from '../../webhooks/composition.ts';
import { memberRoute } from '../route.ts';
import { CreatedWebhookView, CreateWebhookBody, webhookView } from '../schemas/webhooks.ts';

export const handler = memberRoute(
  {
    responses: { 201: CreatedWebhookView },
    body: CreateWebhookBody,
    summary: 'Register a webhook endpoint (the signing secret is shown only here)',
  },
  async ({ actor, deps, body }) => {
    const webhook = await createWebhook(webhookAdminDeps(deps), actor, body);
    return {
      status: 201,
      body: { ...webhookView(webhook), secret: webhook.secret },
      headers: { location: `/v1/webhooks/${webhook.id}` },
    };
  },
);
