/**
 * The WebhookSigner port on the maintained `standardwebhooks` package: secrets are `whsec_` plus 32
 * random bytes in base64, signatures `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { WebhookSigner } from '#domain/webhooks/ports.ts';

export const standardWebhooksSigner: WebhookSigner = {
  newSecret: () => `whsec_${randomBytes(32).toString('base64')}`,
  headers: (secrets, webhookId, body) => {
    const at = new Date();
    return {
      'webhook-id': webhookId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      // Standard Webhooks: several signatures, space-separated; a receiver accepts any that verifies.
      'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(webhookId, at, body)).join(' '),
    };
  },
};
