/**
 * The local-only /dev routes (docs/api.md "Local runtime only"): tokens, org onboarding, the domain
 * clock and on-demand jobs. They exist only in the local gateway; the cloud API has none of them.
 */
import * as z from 'zod';
import type { Deps } from '#domain/deps.ts';
import { clientSub } from '#domain/identity/api-clients.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import { CAPABILITIES } from '#domain/kernel/actor.ts';
import { ForbiddenError, NotFoundError } from '#domain/kernel/errors.ts';
import { type ControllableClock, isIsoDuration } from './clock.ts';
import type { CognitoLocal } from './cognito-local.ts';
import type { DevJob } from './dev-jobs.ts';
import {
  ACCESS_TOKEN_LIFETIME_SECONDS,
  LOCAL_JWKS_PATH,
  TOKEN_LIFETIME_SECONDS,
  type TokenIssuer,
  type TokenSubject,
} from './tokens.ts';

export type DevRequest = {
  body: unknown;
  params: Record<string, string>;
  requestId: string;
  headers: Record<string, string | string[] | undefined>;
};
export type DevResult = { status: number; body?: unknown; headers?: Record<string, string> };

export type DevRoute = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** The body is `application/x-www-form-urlencoded` (handed on as its fields), not JSON. */
  form?: true;
  handle: (request: DevRequest) => Promise<DevResult>;
};

export type DevRoutesContext = {
  /** Issues a token as the identity provider would: through the token trigger (runtime.ts `tokenFor`). */
  tokenFor: (subject: TokenSubject) => Promise<string>;
  tokens: TokenIssuer;
  /** The user pool's app clients (API clients' credentials). */
  identityProvider: Pick<CognitoLocal, 'authenticate' | 'refusesSignIn' | 'user'>;
  clock: ControllableClock;
  deps: () => Deps;
  jobs: readonly DevJob[];
};

const tokenBody = z.strictObject({
  sub: z
    .string()
    .min(1)
    .max(128)
    .refine((sub) => !sub.startsWith(clientSub('')), 'API clients get tokens at /dev/oauth2/token.'),
  email: z.email().optional(),
  emailVerified: z.boolean().optional(),
});

const orgBody = z.strictObject({
  name: z.string().min(1).max(200),
  kind: z.literal('partner', { error: 'Only partner orgs are onboarded here; the host org is seeded.' }),
  capabilities: z.array(z.enum(CAPABILITIES)).optional(),
  admin: z.strictObject({
    sub: z.string().min(1).max(128),
    email: z.email(),
    name: z.string().min(1).max(200),
  }),
});

const clockBody = z.union([
  z.strictObject({ now: z.iso.datetime({ offset: true }) }),
  z.strictObject({
    advance: z.string().refine(isIsoDuration, 'Use an ISO 8601 duration such as "P15D" or "PT2H".'),
  }),
]);

const clockView = (clock: ControllableClock) => ({
  now: clock.now().toISOString(),
  offsetMs: clock.offsetMs(),
  realNow: new Date().toISOString(),
});

/** An OAuth 2.0 error answer (RFC 6749 §5.2): the shape token clients parse, not problem+json. */
const oauthError = (status: number, error: string, description: string): DevResult => ({
  status,
  body: { error, error_description: description },
  headers: {
    'cache-control': 'no-store',
    ...(status === 401 ? { 'www-authenticate': 'Basic realm="co-sell"' } : {}),
  },
});

/** `Authorization: Basic` credentials, each form-urlencoded first (RFC 6749 §2.3.1). */
const basicCredentials = (header: string | string[] | undefined) => {
  const match = typeof header === 'string' ? /^Basic\s+(\S+)$/i.exec(header.trim()) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  const formDecode = (value: string) => decodeURIComponent(value.replaceAll('+', ' '));
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
};

/**
 * The user pool's token endpoint for API clients: the client-credentials grant with HTTP Basic
 * client authentication, granting the client's scopes (or the asked subset of them).
 */
const clientCredentialsGrant =
  (context: DevRoutesContext) =>
  async ({ body, headers }: DevRequest): Promise<DevResult> => {
    const fields = (body ?? {}) as Record<string, string>;
    const credentials = basicCredentials(headers.authorization);
    if (!credentials)
      return oauthError(401, 'invalid_client', 'Authenticate with HTTP Basic clientId:clientSecret.');
    const allowed = context.identityProvider.authenticate(credentials.clientId, credentials.clientSecret);
    if (!allowed) return oauthError(401, 'invalid_client', 'The client id or secret is wrong.');
    if (fields.grant_type !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
    const asked = fields.scope?.split(/\s+/).filter(Boolean) ?? allowed;
    if (asked.some((scope) => !allowed.includes(scope)))
      return oauthError(400, 'invalid_scope', 'The client may not have every scope asked for.');
    const token = await context.tokens.issueAccess({
      clientId: credentials.clientId,
      scope: asked.join(' '),
    });
    return {
      status: 200,
      body: { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME_SECONDS },
      headers: { 'cache-control': 'no-store' },
    };
  };

export const createDevRoutes = (context: DevRoutesContext): DevRoute[] => [
  {
    method: 'GET',
    path: LOCAL_JWKS_PATH,
    handle: async () => ({ status: 200, body: context.tokens.jwks() }),
  },
  { method: 'POST', path: '/dev/oauth2/token', form: true, handle: clientCredentialsGrant(context) },
  {
    method: 'POST',
    path: '/dev/tokens',
    handle: async ({ body }) => {
      const input = tokenBody.parse(body ?? {});
      // Without an email, use the member's stored one, as a real identity provider would know it.
      const email = input.email ?? (await context.deps().memberships.getActor(input.sub))?.email;
      // As the user pool refuses a disabled user's sign-in (a removed member's, for one).
      if (context.identityProvider.refusesSignIn(email)) {
        throw new ForbiddenError(
          'user-disabled',
          'This user is disabled in the user pool and cannot sign in.',
        );
      }
      const token = await context.tokenFor({
        sub: input.sub,
        ...(email ? { email } : {}),
        ...(input.emailVerified === undefined ? {} : { emailVerified: input.emailVerified }),
      });
      return { status: 200, body: { token, tokenType: 'Bearer', expiresIn: TOKEN_LIFETIME_SECONDS } };
    },
  },
  {
    // What the pool holds for an address: what inviting and removing did at the identity provider.
    method: 'GET',
    path: '/dev/users/{email}',
    handle: async ({ params }) => {
      const user = context.identityProvider.user(decodeURIComponent(params.email ?? ''));
      if (!user) throw new NotFoundError(`The user pool's user ${params.email}`);
      return { status: 200, body: user };
    },
  },
  {
    method: 'POST',
    path: '/dev/orgs',
    handle: async ({ body }) => {
      const input = orgBody.parse(body ?? {});
      const org = await onboardOrg(context.deps(), input);
      return { status: 201, body: org };
    },
  },
  {
    method: 'GET',
    path: '/dev/clock',
    handle: async () => ({ status: 200, body: clockView(context.clock) }),
  },
  {
    method: 'POST',
    path: '/dev/clock',
    handle: async ({ body }) => {
      const input = clockBody.parse(body ?? {});
      if ('now' in input) context.clock.set(new Date(input.now));
      else context.clock.advance(input.advance);
      return { status: 200, body: clockView(context.clock) };
    },
  },
  {
    method: 'DELETE',
    path: '/dev/clock',
    handle: async () => {
      context.clock.reset();
      return { status: 200, body: clockView(context.clock) };
    },
  },
  {
    method: 'GET',
    path: '/dev/jobs',
    handle: async () => ({ status: 200, body: { jobs: context.jobs.map((job) => job.name) } }),
  },
  {
    method: 'POST',
    path: '/dev/jobs/{name}',
    handle: async ({ params }) => {
      const job = context.jobs.find((candidate) => candidate.name === params.name);
      if (!job) throw new NotFoundError(`The dev job "${params.name}"`);
      return { status: 200, body: { job: job.name, result: (await job.run()) ?? null } };
    },
  },
];
