/**
 * The SecretSealer port's contract, held by the KMS adapter (through the SDK, against the local KMS
 * stand-in: the cloud's code path) and by the in-memory fake the domain tests use: a sealed secret
 * is not the secret, opens with its own binding, and does not open with another org's or endpoint's.
 * Then what only KMS does: the call bounded by the invocation's deadline, a ciphertext of another key
 * or altered refused.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretSealer } from '#domain/webhooks/ports.ts';
import { KmsSecretSealer } from '#functions/adapters/kms/kms-secret-sealer.ts';
import { withinDeadline } from '#functions/adapters/time-budget.ts';
import { type KmsLocal, startKmsLocal } from '#infra/local/kms-local.ts';
import { MemorySecretSealer } from '#test/support/memory/secret-sealer.ts';

const KEY = 'arn:aws:kms:us-east-1:000000000000:key/unit-webhook-secrets';
const OTHER_KEY = 'arn:aws:kms:us-east-1:000000000000:key/unit-other';
let kms: KmsLocal;

beforeAll(async () => {
  kms = await startKmsLocal({ keys: { [KEY]: randomBytes(32), [OTHER_KEY]: randomBytes(32) } });
});
afterAll(() => kms?.stop());

const kmsSealer = (keyId = KEY) =>
  new KmsSecretSealer({ keyId, region: 'us-east-1', endpoint: kms.endpoint });

const binding = { orgId: 'org-a', webhookId: '01JWEBHOOKA' };
const secret = `whsec_${randomBytes(32).toString('base64')}`;

describe.each([
  ['KMS (local stand-in)', () => kmsSealer()],
  ['in memory', () => new MemorySecretSealer()],
] as const)('the secret sealer: %s', (_name, make: () => SecretSealer) => {
  it('seals a secret into something else, which opens with its own binding', async () => {
    const sealer = make();
    const sealed = await sealer.seal(secret, binding);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(secret.slice('whsec_'.length));
    expect(await sealer.open(sealed, { ...binding })).toBe(secret);
    // Sealing twice gives two values: equal secrets are not recognisable at rest.
    expect(await sealer.seal(secret, binding)).not.toBe(sealed);
  });

  it('does not open a sealed secret for another endpoint or another org', async () => {
    const sealer = make();
    const sealed = await sealer.seal(secret, binding);
    expect(await sealer.open(sealed, { ...binding, webhookId: '01JWEBHOOKB' })).toBeUndefined();
    expect(await sealer.open(sealed, { ...binding, orgId: 'org-b' })).toBeUndefined();
  });
});

describe('the KMS sealer', () => {
  it('refuses an altered ciphertext and one made with another key', async () => {
    const sealed = await kmsSealer().seal(secret, binding);
    const bytes = Buffer.from(sealed, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(await kmsSealer().open(bytes.toString('base64'), binding)).toBeUndefined();
    const ofOtherKey = await kmsSealer(OTHER_KEY).seal(secret, binding);
    expect(await kmsSealer().open(ofOtherKey, binding)).toBeUndefined();
  });

  it('rejects (rather than answering "does not open") when the key is unknown or the service fails', async () => {
    await expect(
      kmsSealer('arn:aws:kms:us-east-1:000000000000:key/missing').seal(secret, binding),
    ).rejects.toThrow(/does not exist/);
    const down = new KmsSecretSealer({ keyId: KEY, region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    await expect(down.open('AAAA', binding)).rejects.toThrow();
  });

  it('gives up when the invocation has no time left for the call', async () => {
    await expect(withinDeadline(Date.now(), () => kmsSealer().seal(secret, binding))).rejects.toThrow();
  });
});
