/**
 * The SecretSealer port in memory, with KMS's binding: a sealed value opens only under the binding
 * it was sealed with. The sealed value is an opaque token; what it stands for stays in this object,
 * so a test that finds the secret in a stored endpoint knows it was stored unsealed.
 */
import { randomUUID } from 'node:crypto';
import type { SecretBinding } from '#domain/webhooks/model.ts';
import type { SecretSealer } from '#domain/webhooks/ports.ts';

export class MemorySecretSealer implements SecretSealer {
  private readonly sealed = new Map<string, { secret: string; binding: SecretBinding }>();
  /** How many times each half was called. */
  readonly calls = { seal: 0, open: 0 };

  async seal(secret: string, binding: SecretBinding): Promise<string> {
    this.calls.seal += 1;
    const token = `sealed:${randomUUID()}`;
    this.sealed.set(token, { secret, binding: { ...binding } });
    return token;
  }

  async open(sealed: string, binding: SecretBinding): Promise<string | undefined> {
    this.calls.open += 1;
    const entry = this.sealed.get(sealed);
    return entry && entry.binding.orgId === binding.orgId && entry.binding.webhookId === binding.webhookId
      ? entry.secret
      : undefined;
  }
}
