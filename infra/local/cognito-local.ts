/**
 * The local stand-in for the Cognito user pool: the calls the API makes over the AWS JSON 1.1
 * protocol, so functions reach it with the same SDK client as in the cloud (`COGNITO_ENDPOINT`).
 * App clients (`CreateUserPoolClient` with a generated secret, `DeleteUserPoolClient`) and the check
 * the pool's token endpoint makes (`authenticate`) for `/dev/oauth2/token`; people's users
 * (`AdminCreateUser`, `AdminEnableUser`, `AdminUserGlobalSignOut`, `AdminDisableUser`) and the
 * check the pool makes on a sign-in (`refusesSignIn`): a disabled user gets no token from
 * `/dev/tokens`, and the gateway refuses the ones it holds at once.
 *
 * With a file the clients and users survive restarts (`npm start`), as the table that binds them does.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

type StoredClient = { clientId: string; clientSecret: string; name: string; scopes: string[] };

/** A person's user; the username is the email, as the API creates it. */
export type LocalUser = {
  username: string;
  sub: string;
  attributes: Record<string, string>;
  enabled: boolean;
  status: 'FORCE_CHANGE_PASSWORD';
  /** When the last global sign-out happened (ISO 8601), if ever. */
  signedOutAt?: string;
};

type Stored = { clients: StoredClient[]; users: LocalUser[] };

export type CognitoLocal = {
  endpoint: string;
  /** The scopes of the client these credentials name, or undefined when they name none. */
  authenticate: (clientId: string, clientSecret: string) => string[] | undefined;
  /** Whether the pool refuses this email's sign-ins and tokens: its user is disabled. */
  refusesSignIn: (email: string | undefined) => boolean;
  /** The user of this email, as a test inspects it. */
  user: (email: string) => LocalUser | undefined;
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
  const users = new Map<string, LocalUser>();
  if (options.file && existsSync(options.file)) {
    const stored = JSON.parse(readFileSync(options.file, 'utf8')) as Stored | StoredClient[];
    // Files written before the emulator kept users hold the clients alone.
    const { clients: storedClients, users: storedUsers } = Array.isArray(stored)
      ? { clients: stored, users: [] }
      : stored;
    for (const client of storedClients) clients.set(client.clientId, client);
    for (const user of storedUsers) users.set(user.username, user);
  }
  const save = () => {
    const stored: Stored = { clients: [...clients.values()], users: [...users.values()] };
    if (options.file) writeFileSync(options.file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  };
  const userNotFound = (): [number, unknown] => [
    400,
    { __type: 'UserNotFoundException', message: 'User does not exist.' },
  ];
  /** Admin calls name a user by username or by its email alias; both are the email here. */
  const userOf = (input: Record<string, unknown>) => users.get(String(input.Username ?? '').toLowerCase());

  const handleUser = (target: string, input: Record<string, unknown>): [number, unknown] | undefined => {
    if (target === 'AdminCreateUser') {
      const username = String(input.Username ?? '').toLowerCase();
      if (!username) return [400, { __type: 'InvalidParameterException', message: 'Username is required.' }];
      if (users.has(username))
        return [
          400,
          { __type: 'UsernameExistsException', message: 'An account with the given email already exists.' },
        ];
      const attributes = Object.fromEntries(
        (Array.isArray(input.UserAttributes) ? input.UserAttributes : []).map((attribute) => {
          const { Name, Value } = attribute as { Name: string; Value: string };
          return [Name, Value];
        }),
      );
      const user: LocalUser = {
        username,
        sub: randomUUID(),
        attributes: { ...attributes, email: attributes.email ?? username },
        enabled: true,
        status: 'FORCE_CHANGE_PASSWORD',
      };
      users.set(username, user);
      save();
      return [
        200,
        {
          User: {
            Username: user.username,
            Enabled: true,
            UserStatus: user.status,
            Attributes: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
          },
        },
      ];
    }
    if (target === 'AdminEnableUser' || target === 'AdminDisableUser') {
      const user = userOf(input);
      if (!user) return userNotFound();
      user.enabled = target === 'AdminEnableUser';
      save();
      return [200, {}];
    }
    if (target === 'AdminUserGlobalSignOut') {
      const user = userOf(input);
      if (!user) return userNotFound();
      user.signedOutAt = new Date().toISOString();
      save();
      return [200, {}];
    }
    return undefined;
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
    return (
      handleUser(target, input) ?? [
        400,
        { __type: 'UnknownOperationException', message: `${target} is not emulated locally.` },
      ]
    );
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
    refusesSignIn: (email) => (email ? users.get(email.toLowerCase())?.enabled === false : false),
    user: (email) => users.get(email.toLowerCase()),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
