/**
 * Signing secrets at rest, on in-memory ports: the store is handed only sealed secrets, each bound to
 * its endpoint; the delivery opens them to sign and never seals; an endpoint written before secrets
 * were sealed is still signed for with its plaintext, and its next edit or rotation seals it; a
 * sealed secret copied from another endpoint signs nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { UNREADABLE_SECRET, workDeliveries } from '#domain/webhooks/dispatch.ts';
import { createWebhook, rotateWebhookSecret, testWebhook, updateWebhook } from '#domain/webhooks/manage.ts';
import type { Webhook } from '#domain/webhooks/model.ts';
import type { PostResult, WebhookDeliveryDeps } from '#domain/webhooks/ports.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';
import { MemorySecretSealer } from '#test/support/memory/secret-sealer.ts';

type Sent = { url: string; signature: string | undefined };

let world: DealWorld;
let sealer: MemorySecretSealer;
let sent: Sent[];
let secrets: number;

const transport = {
  refusal: async () => undefined,
  post: async (url: string, headers: Record<string, string>): Promise<PostResult> => {
    sent.push({ url, signature: headers['webhook-signature'] });
    return { status: 200 };
  },
};
/** Signs with the secret's own text, so a test sees which secrets signed. */
const signer = {
  newSecret: () => `whsec_${++secrets}`,
  headers: (keys: readonly string[]) => ({ 'webhook-signature': keys.map((key) => `v1,${key}`).join(' ') }),
};
const admin = () => ({ ...world.deps, transport, signer, sealer });
const delivery = (): WebhookDeliveryDeps => ({
  ...world.deps,
  transport,
  signer,
  sealer,
  mailer: { send: async () => ({ outcome: 'sent' }) },
  appBaseUrl: 'https://app.example',
});
const once = { windowMs: 0, pollMs: 0, concurrency: 4, batchSize: 100 };
const timer = { now: () => 0, sleep: async () => undefined };

/** The signatures of one test delivery to the endpoint. */
const signatures = async (webhookId: string) => {
  sent = [];
  await testWebhook(admin(), world.partner, webhookId);
  await workDeliveries(delivery(), once, timer);
  return sent.map((s) => s.signature);
};

const stored = (webhookId: string): Webhook => world.deps.webhooks.webhooks.get(webhookId)!;

/** An endpoint as the release before sealing left it: its secrets in plaintext. */
const legacyEndpoint = async (previous?: { secret: string; until: string }) => {
  const { webhook } = await createWebhook(admin(), world.partner, {
    url: 'https://partner.example/legacy',
    events: ['*'],
  });
  world.deps.webhooks.webhooks.set(webhook.id, {
    ...webhook,
    secret: { plaintext: 'whsec_legacy' },
    ...(previous
      ? { previousSecret: { secret: { plaintext: previous.secret }, until: previous.until } }
      : {}),
  });
  return webhook.id;
};

beforeEach(async () => {
  world = await dealWorld();
  sealer = new MemorySecretSealer();
  sent = [];
  secrets = 0;
});

describe('sealed signing secrets', () => {
  it('hands the store only the sealed secret, and signs deliveries with what it seals', async () => {
    const { webhook, secret } = await createWebhook(admin(), world.partner, {
      url: 'https://partner.example/hook',
      events: ['*'],
    });
    expect(stored(webhook.id).secret).toEqual({ sealed: expect.stringMatching(/^sealed:/) });
    expect(JSON.stringify(stored(webhook.id))).not.toContain(secret);
    expect(await signatures(webhook.id)).toEqual([`v1,${secret}`]);

    const rotated = await rotateWebhookSecret(admin(), world.partner, webhook.id);
    expect(JSON.stringify(stored(webhook.id))).not.toContain(rotated.secret);
    expect(JSON.stringify(stored(webhook.id))).not.toContain(secret);
  });

  it('opens secrets to sign and seals nothing while delivering', async () => {
    const { webhook } = await createWebhook(admin(), world.partner, {
      url: 'https://partner.example/hook',
      events: ['*'],
    });
    const sealedBefore = sealer.calls.seal;
    await signatures(webhook.id);
    expect(sealer.calls).toMatchObject({ seal: sealedBefore, open: 1 });
  });

  it('still signs with a plaintext secret an earlier release stored, and seals it at the next edit', async () => {
    const id = await legacyEndpoint();
    expect(await signatures(id)).toEqual(['v1,whsec_legacy']);
    // The delivery's own writes carry the secret as read: sealing is for the admin routes' key grant.
    expect(stored(id).secret).toEqual({ plaintext: 'whsec_legacy' });

    await updateWebhook(admin(), world.partner, id, { events: ['deal.created'] });
    expect(stored(id).secret).toEqual({ sealed: expect.any(String) });
    expect(JSON.stringify(stored(id))).not.toContain('whsec_legacy');
    expect(await signatures(id)).toEqual(['v1,whsec_legacy']);
  });

  it('seals a plaintext previous secret at an edit, and a plaintext current one a rotation replaces', async () => {
    const until = new Date(world.deps.clock.now().getTime() + 3_600_000).toISOString();
    const edited = await legacyEndpoint({ secret: 'whsec_older', until });
    await updateWebhook(admin(), world.partner, edited, { events: ['deal.created'] });
    expect(JSON.stringify(stored(edited))).not.toMatch(/whsec_(legacy|older)/);
    expect(await signatures(edited)).toEqual(['v1,whsec_legacy v1,whsec_older']);

    const rotatedId = await legacyEndpoint();
    const rotated = await rotateWebhookSecret(admin(), world.partner, rotatedId);
    expect(JSON.stringify(stored(rotatedId))).not.toMatch(/whsec_legacy|whsec_\d/);
    expect(await signatures(rotatedId)).toEqual([`v1,${rotated.secret} v1,whsec_legacy`]);
  });

  it('sends nothing with a sealed secret copied from another endpoint, until a rotation replaces it', async () => {
    const { webhook: mine } = await createWebhook(admin(), world.partner, {
      url: 'https://partner.example/mine',
      events: ['*'],
    });
    const { webhook: theirs } = await createWebhook(admin(), world.other, {
      url: 'https://other.example/theirs',
      events: ['*'],
    });
    world.deps.webhooks.webhooks.set(mine.id, { ...stored(mine.id), secret: stored(theirs.id).secret });

    expect(await signatures(mine.id)).toEqual([]);
    const [failed] = [...world.deps.webhooks.deliveries.values()].filter((d) => d.webhookId === mine.id);
    expect(failed).toMatchObject({ status: 'pending', attempt: 1, error: UNREADABLE_SECRET });

    // The copied secret, now the previous one, no longer opens and no longer holds deliveries back.
    const rotated = await rotateWebhookSecret(admin(), world.partner, mine.id);
    expect(await signatures(mine.id)).toEqual([`v1,${rotated.secret}`]);
  });
});
