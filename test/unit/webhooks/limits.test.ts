/**
 * The webhook limit on in-memory ports: an org keeps at most MAX_WEBHOOKS_PER_ORG endpoints however
 * many creates arrive at once (the store makes the count a condition of the write), the refusal
 * reads as a sentence, and deleting an endpoint frees its place.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createWebhook, deleteWebhook, listWebhooks } from '#domain/webhooks/manage.ts';
import { MAX_WEBHOOKS_PER_ORG } from '#domain/webhooks/model.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';
import { MemorySecretSealer } from '#test/support/memory/secret-sealer.ts';

let world: DealWorld;
beforeEach(async () => {
  world = await dealWorld();
});

const admin = () => ({
  ...world.deps,
  transport: { refusal: async () => undefined, post: async () => ({ status: 200 }) },
  signer: { newSecret: () => 'whsec_dGVzdA==', headers: () => ({}) },
  sealer: new MemorySecretSealer(),
});
const create = async (i: number) =>
  (await createWebhook(admin(), world.partner, { url: `https://hooks.example.com/${i}`, events: ['*'] }))
    .webhook;

describe('the webhook limit', () => {
  it(`stores exactly ${MAX_WEBHOOKS_PER_ORG} of 20 simultaneous creates and refuses the rest in words`, async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => create(i)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(MAX_WEBHOOKS_PER_ORG);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect(outcome.reason).toMatchObject({
        kind: 'validation',
        errors: [
          {
            path: 'url',
            message: `An organization can have at most ${MAX_WEBHOOKS_PER_ORG} webhooks; delete one before adding another.`,
          },
        ],
      });
    }
    expect(await listWebhooks(admin(), world.partner)).toHaveLength(MAX_WEBHOOKS_PER_ORG);
    // Another org's endpoints count for that org only.
    await createWebhook(admin(), world.other, { url: 'https://hooks.example.com/o', events: ['*'] });
  });

  it('frees a place when an endpoint is deleted, and a deleted endpoint is not found again', async () => {
    const created = [];
    for (let i = 0; i < MAX_WEBHOOKS_PER_ORG; i++) created.push(await create(i));
    await expect(create(99)).rejects.toMatchObject({ kind: 'validation' });
    const [first] = created;
    if (!first) throw new Error('no webhook created');
    await deleteWebhook(admin(), world.partner, first.id);
    await expect(deleteWebhook(admin(), world.partner, first.id)).rejects.toMatchObject({
      kind: 'not-found',
    });
    await expect(create(100)).resolves.toMatchObject({ url: 'https://hooks.example.com/100' });
  });
});
