/**
 * The webhook ports of the org-admin routes, the fan-out consumer and the delivery job, besides the
 * store (a domain port of deps.ts): the HTTP transport with this environment's address policy, the
 * Standard Webhooks signer, the KMS sealer of signing secrets (WEBHOOK_SECRETS_KEY_ARN: the routes
 * that write secrets encrypt, the delivery function decrypts), and for the delivery function the SES
 * mailer for the admins' email. The
 * clock is deps.ts's
 * (the domain clock locally, so moving it brings retries due). Tests replace single ports with
 * `overrideWebhookPorts`.
 *
 * `WEBHOOK_ALLOW_LOOPBACK=true` (set only by the local runtime, never declared for the cloud)
 * allows `http` and loopback receivers; unset, only `https` on public addresses is.
 */
import type { Deps } from '#domain/deps.ts';
import type { Mailer } from '#domain/notifications/ports.ts';
import type {
  SecretSealer,
  WebhookAdminDeps,
  WebhookDeliveryDeps,
  WebhookFanOutDeps,
  WebhookSigner,
  WebhookTransport,
} from '#domain/webhooks/ports.ts';
import { KmsSecretSealer } from '../adapters/kms/kms-secret-sealer.ts';
import { SesMailer } from '../adapters/ses/ses-mailer.ts';
import { HttpWebhookTransport } from '../adapters/webhooks/http-transport.ts';
import { standardWebhooksSigner } from '../adapters/webhooks/standard-webhooks-signer.ts';
import { required, tableConfig, webhookSecretsKeyConfig } from '../config.ts';
import { getDeps } from './deps.ts';

type WebhookPorts = {
  transport: WebhookTransport;
  signer: WebhookSigner;
  mailer: Mailer;
  sealer: SecretSealer;
};

let transport: WebhookTransport | undefined;
let mailer: Mailer | undefined;
let sealer: SecretSealer | undefined;
let overrides: Partial<WebhookPorts> = {};

export const allowLoopback = (): boolean => process.env.WEBHOOK_ALLOW_LOOPBACK === 'true';

const getTransport = (): WebhookTransport => {
  transport ??= overrides.transport ?? new HttpWebhookTransport({ allowLoopback: allowLoopback() });
  return transport;
};

/** Made on first use: only the functions given WEBHOOK_SECRETS_KEY_ARN seal or open a secret. */
const getSealer = (): SecretSealer => {
  sealer ??= overrides.sealer ?? new KmsSecretSealer(webhookSecretsKeyConfig());
  return sealer;
};

/** The org-admin routes: the request's ports plus transport, signer and sealer. */
export const webhookAdminDeps = (deps: Deps): WebhookAdminDeps => ({
  clock: deps.clock,
  backoff: deps.backoff,
  ids: deps.ids,
  webhooks: deps.webhooks,
  transport: getTransport(),
  signer: overrides.signer ?? standardWebhooksSigner,
  sealer: { seal: (secret, binding) => getSealer().seal(secret, binding) },
});

export const webhookFanOutDeps = (): WebhookFanOutDeps => {
  const { clock, deals, webhooks } = getDeps();
  return { clock, deals, webhooks };
};

/**
 * Reads EMAIL_FROM, APP_BASE_URL and SES_CONFIGURATION_SET (and locally SES_ENDPOINT): only the
 * delivery function has them.
 */
export const webhookDeliveryDeps = (): WebhookDeliveryDeps => {
  const { clock, memberships, webhooks } = getDeps();
  mailer ??=
    overrides.mailer ??
    new SesMailer({
      from: required('EMAIL_FROM'),
      region: tableConfig().region,
      ...(process.env.SES_ENDPOINT ? { endpoint: process.env.SES_ENDPOINT } : {}),
      configurationSet: required('SES_CONFIGURATION_SET'),
    });
  return {
    clock,
    memberships,
    webhooks,
    transport: getTransport(),
    signer: overrides.signer ?? standardWebhooksSigner,
    sealer: getSealer(),
    mailer,
    appBaseUrl: required('APP_BASE_URL'),
  };
};

export const overrideWebhookPorts = (partial: Partial<WebhookPorts>): void => {
  overrides = { ...overrides, ...partial };
  transport = undefined;
  mailer = undefined;
  sealer = undefined;
};

export const resetWebhookPorts = (): void => {
  overrides = {};
  transport = undefined;
  mailer = undefined;
  sealer = undefined;
};
