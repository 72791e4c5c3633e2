/**
 * A local stand-in for the few Secrets Manager calls the functions make, over the same JSON protocol
 * the SDK speaks (so the functions run their cloud code path): `GetSecretValue` of a secret's
 * `AWSCURRENT` or `AWSPREVIOUS` version, and `PutSecretValue`, which rotates as Secrets Manager does
 * (the new value becomes current, the current one previous). Loopback only; no signature checks.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { serveOnLoopback } from './ports.ts';

type Version = { id: string; value: string; created: number };
type StoredSecret = { current: Version; previous?: Version };

export type SecretsLocal = {
  endpoint: string;
  /** Creates the secret, or rotates it: the given value becomes current. */
  put: (id: string, value: string) => void;
  stop: () => Promise<void>;
};

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
};

const notFound = (res: ServerResponse, message: string): void =>
  json(res, 400, { __type: 'ResourceNotFoundException', message });

const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
};

export const startSecretsLocal = async (
  options: { port?: number; secrets?: Record<string, string> } = {},
): Promise<SecretsLocal> => {
  const secrets = new Map<string, StoredSecret>();
  const put = (id: string, value: string) => {
    const version = { id: randomUUID(), value, created: Date.now() };
    const existing = secrets.get(id);
    secrets.set(id, existing ? { current: version, previous: existing.current } : { current: version });
  };
  for (const [id, value] of Object.entries(options.secrets ?? {})) put(id, value);

  const server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = await readBody(req);
      const id = String(body.SecretId ?? '');
      if (target === 'secretsmanager.GetSecretValue') {
        const stage = String(body.VersionStage ?? 'AWSCURRENT');
        const version =
          stage === 'AWSCURRENT'
            ? secrets.get(id)?.current
            : stage === 'AWSPREVIOUS'
              ? secrets.get(id)?.previous
              : undefined;
        if (!version)
          return notFound(
            res,
            `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
          );
        return json(res, 200, {
          ARN: id,
          Name: id,
          SecretString: version.value,
          VersionId: version.id,
          VersionStages: [stage],
          CreatedDate: version.created / 1000,
        });
      }
      if (target === 'secretsmanager.PutSecretValue' && typeof body.SecretString === 'string') {
        if (!secrets.has(id)) return notFound(res, "Secrets Manager can't find the specified secret.");
        put(id, body.SecretString);
        const { current } = secrets.get(id)!;
        return json(res, 200, { ARN: id, Name: id, VersionId: current.id, VersionStages: ['AWSCURRENT'] });
      }
      json(res, 400, { __type: 'InvalidRequestException', message: `${target} is not served locally` });
    })().catch(() => {
      if (!res.headersSent) json(res, 500, { __type: 'InternalServiceError', message: 'stand-in failure' });
    });
  });
  const { endpoint, stop } = await serveOnLoopback(server, options.port);
  return {
    endpoint,
    put,
    stop,
  };
};
