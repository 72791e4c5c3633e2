/**
 * The local stand-in for the Cognito user pool's app clients: the two calls the API makes
 * (`CreateUserPoolClient` with a generated secret, `DeleteUserPoolClient`) over the AWS JSON 1.1
 * protocol, so functions reach it with the same SDK client as in the cloud (`COGNITO_ENDPOINT`),
 * and the check the pool's token endpoint makes (`authenticate`) for `/dev/oauth2/token`.
 *
 * With a file the clients survive restarts (`npm start`), as the table that binds them does.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

type StoredClient = { clientId: string; clientSecret: string; name: string; scopes: string[] };

export type CognitoLocal = {
  endpoint: string;
  /** The scopes of the client these credentials name, or undefined when they name none. */
  authenticate: (clientId: string, clientSecret: string) => string[] | undefined;
  stop: () => Promise<void>;
};

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Cognito's app client ids are 26 lower-case letters and digits; its secrets about 50 characters. */
const randomText = (length: number): string =>
  [...randomBytes(length)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');

const readJson = (req: IncomingMessage): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>);
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });

const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

export const startCognitoLocal = async (options: { file?: string } = {}): Promise<CognitoLocal> => {
  const clients = new Map<string, StoredClient>();
  if (options.file && existsSync(options.file)) {
    for (const client of JSON.parse(readFileSync(options.file, 'utf8')) as StoredClient[])
      clients.set(client.clientId, client);
  }
  const save = () => {
    if (options.file)
      writeFileSync(options.file, JSON.stringify([...clients.values()], null, 2), { mode: 0o600 });
  };

  const handle = (target: string, input: Record<string, unknown>): [number, unknown] => {
    if (target === 'CreateUserPoolClient') {
      const client: StoredClient = {
        clientId: randomText(26),
        clientSecret: randomText(51),
        name: String(input.ClientName ?? ''),
        scopes: Array.isArray(input.AllowedOAuthScopes) ? input.AllowedOAuthScopes.map(String) : [],
      };
      clients.set(client.clientId, client);
      save();
      return [
        200,
        {
          UserPoolClient: {
            UserPoolId: input.UserPoolId,
            ClientId: client.clientId,
            ClientSecret: client.clientSecret,
            ClientName: client.name,
            AllowedOAuthFlows: ['client_credentials'],
            AllowedOAuthScopes: client.scopes,
            AllowedOAuthFlowsUserPoolClient: true,
          },
        },
      ];
    }
    if (target === 'DeleteUserPoolClient') {
      if (!clients.delete(String(input.ClientId))) {
        return [400, { __type: 'ResourceNotFoundException', message: 'User pool client does not exist.' }];
      }
      save();
      return [200, {}];
    }
    return [400, { __type: 'UnknownOperationException', message: `${target} is not emulated locally.` }];
  };

  const server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    readJson(req)
      .then((input) => {
        const [status, body] = target.startsWith(TARGET_PREFIX)
          ? handle(target.slice(TARGET_PREFIX.length), input)
          : [400, { __type: 'UnknownOperationException', message: 'No X-Amz-Target.' }];
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
      })
      .catch(() => {
        res
          .writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ __type: 'SerializationException', message: 'The body is not JSON.' }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    authenticate: (clientId, clientSecret) => {
      const client = clients.get(clientId);
      return client && sameSecret(client.clientSecret, clientSecret) ? client.scopes : undefined;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
