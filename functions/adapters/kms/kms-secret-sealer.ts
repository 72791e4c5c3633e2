/**
 * The SecretSealer port on KMS: a signing secret (well under KMS's 4 KB limit) is encrypted directly
 * with the customer-managed key, no data key in between. The encryption context names the endpoint's
 * org and id, so KMS refuses to decrypt a ciphertext under any other endpoint's binding: a sealed
 * value copied into another item does not open there. Decrypt also names the key, so a ciphertext
 * of another key is refused rather than opened. Locally the same calls reach the runtime's stand-in
 * (infra/local/kms-local.ts).
 */
import {
  DecryptCommand,
  EncryptCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSClient,
} from '@aws-sdk/client-kms';
import type { SecretBinding } from '#domain/webhooks/model.ts';
import type { SecretSealer } from '#domain/webhooks/ports.ts';
import { boundByDeadline, transport } from '../time-budget.ts';

export type KmsSecretSealerConfig = {
  /** The key's ARN (WEBHOOK_SECRETS_KEY_ARN). */
  keyId: string;
  region: string;
  /** Only set locally: the stand-in's URL. */
  endpoint?: string;
};

/** The encryption context: KMS binds it to the ciphertext and logs it with every use of the key. */
export const encryptionContext = (binding: SecretBinding): Record<string, string> => ({
  orgId: binding.orgId,
  webhookId: binding.webhookId,
});

export class KmsSecretSealer implements SecretSealer {
  private readonly kms: KMSClient;
  private readonly keyId: string;

  constructor(config: KmsSecretSealerConfig) {
    this.keyId = config.keyId;
    this.kms = boundByDeadline(
      new KMSClient({
        region: config.region,
        // KMS answers in milliseconds: two short attempts fit every caller's timeout.
        ...transport({ requestTimeoutMs: 2_000, maxAttempts: 2 }),
        // The stand-in checks no signature; a process outside a function has no credentials.
        ...(config.endpoint
          ? { endpoint: config.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
          : {}),
      }),
    );
  }

  async seal(secret: string, binding: SecretBinding): Promise<string> {
    const { CiphertextBlob } = await this.kms.send(
      new EncryptCommand({
        KeyId: this.keyId,
        Plaintext: Buffer.from(secret, 'utf8'),
        EncryptionContext: encryptionContext(binding),
      }),
    );
    if (!CiphertextBlob) throw new Error('KMS answered Encrypt without a ciphertext');
    return Buffer.from(CiphertextBlob).toString('base64');
  }

  async open(sealed: string, binding: SecretBinding): Promise<string | undefined> {
    try {
      const { Plaintext } = await this.kms.send(
        new DecryptCommand({
          KeyId: this.keyId,
          CiphertextBlob: Buffer.from(sealed, 'base64'),
          EncryptionContext: encryptionContext(binding),
        }),
      );
      if (!Plaintext) throw new Error('KMS answered Decrypt without a plaintext');
      return Buffer.from(Plaintext).toString('utf8');
    } catch (error) {
      // KMS's answer for a ciphertext altered, bound to another context, or of another key.
      if (error instanceof InvalidCiphertextException || error instanceof IncorrectKeyException) {
        return undefined;
      }
      throw error;
    }
  }
}
