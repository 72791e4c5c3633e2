/**
 * A local stand-in for the two KMS calls the functions make, over the same JSON protocol the SDK
 * speaks (so the functions run their cloud code path): `Encrypt` and `Decrypt` with a symmetric key,
 * as AES-256-GCM whose additional authenticated data is the encryption context. As with KMS, a
 * ciphertext decrypts only with the context it was encrypted under (else `InvalidCiphertextException`),
 * carries which key made it, and is refused when the request names another key
 * (`IncorrectKeyException`). The ciphertext's layout is this stand-in's own, not KMS's. Loopback
 * only; no signature checks.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { serveOnLoopback } from './ports.ts';

/** KMS refuses a plaintext over 4 KB for a direct Encrypt. */
const MAX_PLAINTEXT_BYTES = 4096;
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type KmsLocal = {
  endpoint: string;
  stop: () => Promise<void>;
};

type KmsError = { status: number; type: string; message: string };

const refuse = (type: string, message: string, status = 400): never => {
  throw { status, type, message } satisfies KmsError;
};

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
};

const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
};

/** The context as authenticated data: its pairs in key order, so the order it was sent in is irrelevant. */
const additionalData = (context: unknown): Buffer => {
  const pairs = Object.entries((context ?? {}) as Record<string, unknown>)
    .map(([key, value]) => [key, String(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(pairs), 'utf8');
};

/** `[version][key ARN length][key ARN][iv][tag][ciphertext]` */
const pack = (keyArn: string, iv: Buffer, tag: Buffer, ciphertext: Buffer): Buffer => {
  const arn = Buffer.from(keyArn, 'utf8');
  return Buffer.concat([Buffer.from([FORMAT_VERSION, arn.length]), arn, iv, tag, ciphertext]);
};

const unpack = (blob: Buffer) => {
  const arnLength = blob[1] ?? 0;
  const start = 2 + arnLength;
  if (blob[0] !== FORMAT_VERSION || blob.length < start + IV_BYTES + TAG_BYTES) {
    return refuse('InvalidCiphertextException', 'The ciphertext is not one this key service made.');
  }
  return {
    keyArn: blob.subarray(2, start).toString('utf8'),
    iv: blob.subarray(start, start + IV_BYTES),
    tag: blob.subarray(start + IV_BYTES, start + IV_BYTES + TAG_BYTES),
    ciphertext: blob.subarray(start + IV_BYTES + TAG_BYTES),
  };
};

/**
 * Serves `keys` (key ARN → 32-byte AES key). A request may name a key by its ARN or by the id after
 * `key/`.
 */
export const startKmsLocal = async (options: {
  keys: Record<string, Buffer>;
  port?: number;
}): Promise<KmsLocal> => {
  for (const [arn, key] of Object.entries(options.keys)) {
    if (key.length !== 32) throw new Error(`The local KMS key ${arn} must be 32 bytes, not ${key.length}`);
  }
  const resolveKey = (keyId: unknown): { arn: string; key: Buffer } => {
    const id = String(keyId ?? '');
    const arn = Object.keys(options.keys).find(
      (candidate) => candidate === id || candidate.endsWith(`:key/${id}`),
    );
    if (!arn) return refuse('NotFoundException', `Key '${id}' does not exist`);
    return { arn, key: options.keys[arn]! };
  };

  const encrypt = (body: Record<string, unknown>) => {
    const { arn, key } = resolveKey(body.KeyId);
    const plaintext = Buffer.from(String(body.Plaintext ?? ''), 'base64');
    if (plaintext.length === 0 || plaintext.length > MAX_PLAINTEXT_BYTES) {
      refuse('ValidationException', `The plaintext must be 1 to ${MAX_PLAINTEXT_BYTES} bytes.`);
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(additionalData(body.EncryptionContext));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      CiphertextBlob: pack(arn, iv, cipher.getAuthTag(), ciphertext).toString('base64'),
      KeyId: arn,
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  };

  const decrypt = (body: Record<string, unknown>) => {
    const blob = unpack(Buffer.from(String(body.CiphertextBlob ?? ''), 'base64'));
    if (body.KeyId !== undefined && resolveKey(body.KeyId).arn !== blob.keyArn) {
      refuse(
        'IncorrectKeyException',
        'The key ID in the request does not identify the key that encrypted the ciphertext.',
      );
    }
    const key = options.keys[blob.keyArn];
    if (!key)
      return refuse(
        'InvalidCiphertextException',
        'The ciphertext was made with a key this service does not hold.',
      );
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, blob.iv);
      decipher.setAAD(additionalData(body.EncryptionContext));
      decipher.setAuthTag(blob.tag);
      const plaintext = Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]);
      return {
        Plaintext: plaintext.toString('base64'),
        KeyId: blob.keyArn,
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    } catch {
      // KMS says no more than this when the context differs or the ciphertext was altered.
      return refuse('InvalidCiphertextException', '');
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = await readBody(req);
      try {
        if (target === 'TrentService.Encrypt') return json(res, 200, encrypt(body));
        if (target === 'TrentService.Decrypt') return json(res, 200, decrypt(body));
        refuse('UnsupportedOperationException', `${target} is not served locally`);
      } catch (error) {
        const { status, type, message } = error as KmsError;
        if (type === undefined) throw error;
        json(res, status, { __type: type, message });
      }
    })().catch(() => {
      if (!res.headersSent) json(res, 500, { __type: 'KMSInternalException', message: 'stand-in failure' });
    });
  });
  const { endpoint, stop } = await serveOnLoopback(server, options.port);
  return {
    endpoint,
    stop,
  };
};
