/**
 * The local stand-in for the identity provider and the API Gateway JWT authorizer: issues ES256
 * tokens and verifies them with the same checks the cloud authorizer makes (signature against the
 * issuer's key, `iss`, `aud`, `exp`/`nbf`, `iat` not in the future). `npm start` keeps the key in `.local/jwt-key.json`, so
 * tokens survive restarts; tests keep it in memory.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

export const LOCAL_AUDIENCE = 'co-sell-local';
export const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;
/** An API client's access token lives an hour, as the user pool's do. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 60 * 60;
const ALG = 'ES256';

export const localIssuer = (port: number): string => `http://localhost:${port}/local-issuer`;
/** Where the local issuer publishes its key, as an OIDC provider does (the authorizer fetches it). */
export const LOCAL_JWKS_PATH = '/local-issuer/.well-known/jwks.json';
export const localJwksUrl = (port: number): string => `http://localhost:${port}${LOCAL_JWKS_PATH}`;

/** What a verified token tells the API (what the authorizer passes on, as strings, in `authorizer.lambda`). */
export type VerifiedClaims = JWTPayload & { sub: string; email?: string; email_verified?: boolean };

/** What a local token says about its holder; `emailVerified` becomes the `email_verified` claim. */
export type TokenSubject = { sub: string; email?: string; emailVerified?: boolean };

/**
 * The event Cognito gives its pre-token-generation trigger (version 1) when it issues a token for
 * `subject`: what the local runtime hands the same trigger (functions/triggers/pre-token-generation.ts).
 */
export const preTokenGenerationEvent = (
  subject: TokenSubject,
  issuer: Pick<TokenIssuer, 'audience'>,
): PreTokenGenerationTriggerEvent => ({
  version: '1',
  triggerSource: 'TokenGeneration_Authentication',
  region: 'local',
  userPoolId: 'local',
  userName: subject.sub,
  callerContext: { awsSdkVersion: 'local', clientId: issuer.audience },
  request: {
    userAttributes: {
      sub: subject.sub,
      ...(subject.email ? { email: subject.email } : {}),
      ...(subject.emailVerified === undefined ? {} : { email_verified: String(subject.emailVerified) }),
    },
    groupConfiguration: {},
  },
  response: { claimsOverrideDetails: {} },
});

/** The claims a trigger's answer adds to the token (Cognito ignores an override of its own claims). */
export const claimsAdded = (answer: unknown): Record<string, string> => {
  const added = (answer as PreTokenGenerationTriggerEvent | undefined)?.response?.claimsOverrideDetails
    ?.claimsToAddOrOverride;
  return Object.fromEntries(
    Object.entries(added ?? {}).filter(
      ([name]) => !RESERVED_CLAIMS.has(name) && !name.startsWith('cognito:'),
    ),
  );
};

const RESERVED_CLAIMS = new Set([
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'nbf',
  'email',
  'email_verified',
  'token_use',
  'auth_time',
]);

export type TokenIssuer = {
  issuer: string;
  audience: string;
  /**
   * A signed token for `sub` (and `email`, `email_verified` when given), valid for 12 hours, with
   * `claims` added (what the token trigger answered).
   */
  issue: (
    subject: TokenSubject,
    options?: { expiresInSeconds?: number; issuedAt?: Date; claims?: Record<string, string> },
  ) => Promise<string>;
  /**
   * An access token of the client-credentials grant, shaped as the user pool's: `sub` and
   * `client_id` the client, `token_use: access`, the granted `scope`, no audience.
   */
  issueAccess: (client: { clientId: string; scope: string }) => Promise<string>;
  /** The claims of a valid token (a person's ID token or a client's access token); throws InvalidTokenError otherwise. */
  verify: (token: string) => Promise<VerifiedClaims>;
  /** The public key as a JWKS document (what the cloud authorizer would fetch). */
  jwks: () => { keys: JWK[] };
};

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

type KeyPair = { privateKey: CryptoKey; publicKey: CryptoKey; kid: string; publicJwk: JWK };

const fromPrivateJwk = async (jwk: JWK): Promise<KeyPair> => {
  const { d: _private, ...publicJwk } = jwk;
  const kid = jwk.kid ?? 'local';
  return {
    privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
    kid,
    publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' },
  };
};

const newPrivateJwk = async (): Promise<JWK> => {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `local-${Date.now().toString(36)}`, alg: ALG };
};

/** Reads the key from `keyFile`, creating it on first use; without a file the key lives in memory. */
const loadKey = async (keyFile: string | undefined): Promise<KeyPair> => {
  if (!keyFile) return fromPrivateJwk(await newPrivateJwk());
  if (existsSync(keyFile)) return fromPrivateJwk(JSON.parse(readFileSync(keyFile, 'utf8')) as JWK);
  const jwk = await newPrivateJwk();
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600 });
  return fromPrivateJwk(jwk);
};

/** How many verified tokens the gateway remembers; past it, the oldest is forgotten first. */
const VERIFIED_CACHE_SIZE = 1_000;

export const createTokenIssuer = async (options: {
  port: number;
  keyFile?: string;
}): Promise<TokenIssuer> => {
  const key = await loadKey(options.keyFile);
  const issuer = localIssuer(options.port);
  /**
   * A token's signature and claims never change, so once verified it stays valid until its `exp`:
   * the signature check (ECDSA, most of the gateway's own CPU per request) runs once per token.
   * Only successes are kept, by the whole token string (signature included), so nothing unverified
   * is ever answered from here; an expired entry is verified (and refused) afresh.
   */
  const verified = new Map<string, VerifiedClaims>();
  const remember = (token: string, claims: VerifiedClaims) => {
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
    verified.set(token, claims);
  };
  return {
    issuer,
    audience: LOCAL_AUDIENCE,
    issue: (
      { sub, email, emailVerified },
      { expiresInSeconds = TOKEN_LIFETIME_SECONDS, issuedAt = new Date(), claims = {} } = {},
    ) =>
      new SignJWT({
        ...claims,
        ...(email ? { email } : {}),
        ...(emailVerified === undefined ? {} : { email_verified: emailVerified }),
      })
        .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(Math.floor(issuedAt.getTime() / 1000) + expiresInSeconds)
        .sign(key.privateKey),
    issueAccess: ({ clientId, scope }) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ client_id: clientId, token_use: 'access', scope })
        .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
        .setSubject(clientId)
        .setIssuer(issuer)
        .setIssuedAt(now)
        .setJti(crypto.randomUUID())
        .setExpirationTime(now + ACCESS_TOKEN_LIFETIME_SECONDS)
        .sign(key.privateKey);
    },
    verify: async (token) => {
      const known = verified.get(token);
      if (known && typeof known.exp === 'number' && known.exp > Date.now() / 1000) return known;
      verified.delete(token);
      try {
        // Token expiry keeps real time: the /dev clock moves the domain, not the authorizer.
        const { payload, protectedHeader } = await jwtVerify(token, key.publicKey, {
          issuer,
          algorithms: [ALG],
          requiredClaims: ['exp', 'sub'],
        });
        // A person's ID token names the console's audience; a client's access token has none but
        // names its client, as the user pool's do.
        const isAccess = payload.token_use === 'access' && typeof payload.client_id === 'string';
        const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
        if (isAccess ? payload.aud !== undefined : !audiences.includes(LOCAL_AUDIENCE)) {
          throw new InvalidTokenError('ERR_JWT_CLAIM_VALIDATION_FAILED');
        }
        // The cloud authorizer picks the key from the issuer's JWKS by `kid`: an unknown kid never verifies.
        if (protectedHeader.kid !== key.kid) throw new InvalidTokenError('ERR_JWKS_NO_MATCHING_KEY');
        // API Gateway refuses a token issued in the future; jose checks `iat` only with a maximum age.
        if (typeof payload.iat === 'number' && payload.iat > Math.floor(Date.now() / 1000)) {
          throw new InvalidTokenError('ERR_JWT_CLAIM_VALIDATION_FAILED');
        }
        remember(token, payload as VerifiedClaims);
        return payload as VerifiedClaims;
      } catch (error) {
        if (error instanceof InvalidTokenError) throw error;
        const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
        throw new InvalidTokenError(code);
      }
    },
    jwks: () => ({ keys: [key.publicJwk] }),
  };
};
