/**
 * The org-admin use cases of webhooks (docs/api.md "Webhooks"). Only org-admins manage them; an
 * endpoint of another org is not found. A URL is checked against the transport's address policy
 * when it is set, and again at every delivery (a name can resolve elsewhere later).
 *
 * Signing secrets are stored sealed (model.ts `StoredSecret`): a new one is sealed before it is
 * written, and an edit or rotation of an endpoint whose item still holds a plaintext secret (written
 * before secrets were sealed) seals it in the same write.
 */
import { type Actor, requireRole } from '../kernel/actor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { Page, PageRequest } from '../kernel/page.ts';
import { retryOnConflict } from '../kernel/retry.ts';
import {
  holdsPlaintextSecret,
  MAX_WEBHOOKS_PER_ORG,
  PREVIOUS_SECRET_HOURS,
  type StoredSecret,
  secretBinding,
  WEBHOOK_QUOTA,
  type Webhook,
  type WebhookDelivery,
  type WebhookStatus,
  type WebhookSubscription,
} from './model.ts';
import type { WebhookAdminDeps } from './ports.ts';

/** A write that met a concurrent one on the org's endpoint count; `retryOnConflict` runs it again. */
const concurrentUpdate = (): ConflictError =>
  new ConflictError('concurrent-update', "The organization's webhooks changed meanwhile; try again.");

export type CreateWebhookInput = { url: string; events: WebhookSubscription[]; description?: string };
export type UpdateWebhookInput = { url?: string; events?: WebhookSubscription[]; status?: WebhookStatus };

const checkUrl = async (deps: WebhookAdminDeps, url: string): Promise<void> => {
  const refusal = await deps.transport.refusal(url);
  if (refusal) throw ValidationError.field('url', refusal);
};

const findWebhook = async (deps: WebhookAdminDeps, actor: Actor, webhookId: string): Promise<Webhook> => {
  requireRole(actor, 'org-admin');
  const webhook = await deps.webhooks.get(actor.orgId, webhookId);
  if (!webhook) throw new NotFoundError('The webhook');
  return webhook;
};

/** An endpoint as stored, and its new signing secret in plaintext: for the answer only. */
export type WebhookWithSecret = { webhook: Webhook; secret: string };

const sealNew = async (
  deps: WebhookAdminDeps,
  webhook: Pick<Webhook, 'orgId' | 'id'>,
  secret: string,
): Promise<StoredSecret> => ({ sealed: await deps.sealer.seal(secret, secretBinding(webhook)) });

/** The endpoint with every secret still stored in plaintext sealed, for the write about to be made. */
const sealPlaintext = async (deps: WebhookAdminDeps, webhook: Webhook): Promise<Webhook> => {
  if (!holdsPlaintextSecret(webhook)) return webhook;
  const sealed = async (stored: StoredSecret): Promise<StoredSecret> =>
    'plaintext' in stored ? sealNew(deps, webhook, stored.plaintext) : stored;
  return {
    ...webhook,
    secret: await sealed(webhook.secret),
    ...(webhook.previousSecret
      ? { previousSecret: { ...webhook.previousSecret, secret: await sealed(webhook.previousSecret.secret) } }
      : {}),
  };
};

/** Who may register an endpoint: the org's admins (403 otherwise). */
export const authorizeCreateWebhook = (actor: Actor): void => requireRole(actor, 'org-admin');

export const createWebhook = async (
  deps: WebhookAdminDeps,
  actor: Actor,
  input: CreateWebhookInput,
): Promise<WebhookWithSecret> => {
  authorizeCreateWebhook(actor);
  await checkUrl(deps, input.url);
  const now = deps.clock.now().toISOString();
  const id = deps.ids.next();
  const secret = deps.signer.newSecret();
  const webhook: Webhook = {
    id,
    orgId: actor.orgId,
    url: input.url,
    events: [...new Set(input.events)],
    ...(input.description ? { description: input.description } : {}),
    status: 'active',
    secret: await sealNew(deps, { orgId: actor.orgId, id }, secret),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await retryOnConflict(deps.backoff, async () => {
    const outcome = await deps.webhooks.create(webhook, WEBHOOK_QUOTA);
    if (outcome === 'conflict') throw concurrentUpdate();
    if (outcome === 'limit-reached') {
      throw ValidationError.field(
        'url',
        `An organization can have at most ${MAX_WEBHOOKS_PER_ORG} webhooks; delete one before adding another.`,
      );
    }
  });
  return { webhook, secret };
};

export const listWebhooks = async (deps: WebhookAdminDeps, actor: Actor): Promise<Webhook[]> => {
  requireRole(actor, 'org-admin');
  return deps.webhooks.list(actor.orgId);
};

export const getWebhook = (deps: WebhookAdminDeps, actor: Actor, webhookId: string): Promise<Webhook> =>
  findWebhook(deps, actor, webhookId);

export const updateWebhook = async (
  deps: WebhookAdminDeps,
  actor: Actor,
  webhookId: string,
  input: UpdateWebhookInput,
): Promise<Webhook> => {
  const current = await findWebhook(deps, actor, webhookId);
  if (input.url !== undefined) await checkUrl(deps, input.url);
  const reactivated = input.status === 'active' && current.status === 'disabled';
  const { disabledReason: _cleared, ...rest } = current;
  const next: Webhook = {
    ...(await sealPlaintext(deps, reactivated ? rest : current)),
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    updatedAt: deps.clock.now().toISOString(),
    version: current.version + 1,
  };
  if ((await deps.webhooks.update(next)) === 'stale') {
    throw new ConflictError('concurrent-update', 'The webhook changed meanwhile; read it and try again.', {
      retryAfterSeconds: 1,
    });
  }
  return next;
};

/**
 * Replaces the endpoint's signing secret with a new one (org-admin). For PREVIOUS_SECRET_HOURS the
 * replaced secret still signs every delivery beside the new one, so the receiver can switch at its
 * own pace; a rotation during that window ends the older overlap (only the last two secrets sign).
 * The new secret is in the answer, and nowhere else the org can read it.
 */
export const rotateWebhookSecret = async (
  deps: WebhookAdminDeps,
  actor: Actor,
  webhookId: string,
): Promise<WebhookWithSecret> => {
  const current = await findWebhook(deps, actor, webhookId);
  // The replaced secret keeps signing for a while, so one still in plaintext is sealed too.
  const replaced =
    'plaintext' in current.secret ? await sealNew(deps, current, current.secret.plaintext) : current.secret;
  const now = deps.clock.now();
  const secret = deps.signer.newSecret();
  const next: Webhook = {
    ...current,
    secret: await sealNew(deps, current, secret),
    previousSecret: {
      secret: replaced,
      until: new Date(now.getTime() + PREVIOUS_SECRET_HOURS * 3_600_000).toISOString(),
    },
    updatedAt: now.toISOString(),
    version: current.version + 1,
  };
  if ((await deps.webhooks.update(next)) === 'stale') {
    throw new ConflictError('concurrent-update', 'The webhook changed meanwhile; try again.', {
      retryAfterSeconds: 1,
    });
  }
  return { webhook: next, secret };
};

/** Who may rotate an endpoint's secret: the org's admins (403), for an endpoint of their org (404). */
export const authorizeRotateSecret = async (
  deps: WebhookAdminDeps,
  actor: Actor,
  webhookId: string,
): Promise<void> => {
  await findWebhook(deps, actor, webhookId);
};

export const deleteWebhook = async (
  deps: WebhookAdminDeps,
  actor: Actor,
  webhookId: string,
): Promise<void> => {
  requireRole(actor, 'org-admin');
  await retryOnConflict(deps.backoff, async () => {
    const outcome = await deps.webhooks.remove(actor.orgId, webhookId);
    if (outcome === 'conflict') throw concurrentUpdate();
    if (outcome === 'absent') throw new NotFoundError('The webhook');
  });
};

/** A delivery due now, sent by the delivery worker within seconds. */
const queue = async (deps: WebhookAdminDeps, delivery: WebhookDelivery): Promise<WebhookDelivery> => {
  await deps.webhooks.addDelivery(delivery);
  return delivery;
};

/**
 * Who may test or redeliver to an endpoint: the org's admins (403), for an endpoint of their org
 * (404); never refused for the endpoint's status.
 */
export const authorizeWebhookSend = async (
  deps: WebhookAdminDeps,
  actor: Actor,
  target: { webhookId: string; deliveryId?: string },
): Promise<void> => {
  await findWebhook(deps, actor, target.webhookId);
  if (
    target.deliveryId !== undefined &&
    !(await deps.webhooks.getDelivery(target.webhookId, target.deliveryId))
  )
    throw new NotFoundError('The delivery');
};

/** Queues one `webhook.test` delivery (a new event id) to an active endpoint. */
export const testWebhook = async (
  deps: WebhookAdminDeps,
  actor: Actor,
  webhookId: string,
): Promise<WebhookDelivery> => {
  const webhook = await findWebhook(deps, actor, webhookId);
  if (webhook.status !== 'active') {
    throw ValidationError.field('status', 'The webhook is disabled; activate it before testing it.');
  }
  const now = deps.clock.now().toISOString();
  const eventId = deps.ids.next();
  return queue(deps, {
    id: eventId,
    webhookId,
    orgId: actor.orgId,
    eventId,
    type: 'webhook.test',
    payload: JSON.stringify({
      type: 'webhook.test',
      timestamp: now,
      data: { webhookId, orgId: actor.orgId },
    }),
    attempt: 0,
    status: 'pending',
    createdAt: now,
    at: now,
    dueAt: now,
  });
};

export const listDeliveries = async (
  deps: WebhookAdminDeps,
  actor: Actor,
  webhookId: string,
  page: PageRequest,
): Promise<Page<WebhookDelivery>> => {
  await findWebhook(deps, actor, webhookId);
  return deps.webhooks.listDeliveries(webhookId, page);
};

/**
 * Sends a delivery's event again as a new delivery (its own attempts and retry window) with the
 * same `webhook-id` and body, so a receiver that already handled it can recognise it.
 */
export const redeliver = async (
  deps: WebhookAdminDeps,
  actor: Actor,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDelivery> => {
  const webhook = await findWebhook(deps, actor, webhookId);
  const original = await deps.webhooks.getDelivery(webhookId, deliveryId);
  if (!original) throw new NotFoundError('The delivery');
  if (webhook.status !== 'active') {
    throw ValidationError.field('status', 'The webhook is disabled; activate it before redelivering.');
  }
  const now = deps.clock.now().toISOString();
  return queue(deps, {
    id: deps.ids.next(),
    webhookId,
    orgId: actor.orgId,
    eventId: original.eventId,
    type: original.type,
    payload: original.payload,
    attempt: 0,
    status: 'pending',
    createdAt: now,
    at: now,
    dueAt: now,
  });
};
