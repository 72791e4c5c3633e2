/**
 * The HTTP API's Lambda authorizer (REQUEST, payload 2.0, simple responses): verifies the bearer
 * token of every member route before any function runs. It accepts two kinds of token from the one
 * issuer, both checked against the issuer's JWKS (fetched once per environment and cached by
 * `jose`; a key it does not know is fetched again, so a rotated key is found):
 *
 * - a person's ID token: `aud` one of `JWT_AUDIENCE` (the console's app client);
 * - an API client's access token (the client-credentials grant): `token_use: access`, a
 *   `client_id`, no person (`username`) in it. App clients are made at run time, so no static
 *   audience list could name them: which clients exist is the API's own record, read with every
 *   request (functions/http/middleware/membership.ts), so a revoked client is refused at once.
 *
 * What it verified goes on as the context (`requestContext.authorizer.lambda`), each claim a string
 * as a JWT authorizer would hand it on. A token it refuses answers 401. Results are not cached by
 * API Gateway (ADR 0130): a cached answer would outlive the token's own expiry.
 */
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { required } from '../config.ts';
import { AUTHORIZER_FUNCTION, checkDeclaredEnvironment } from '../environment.ts';

checkDeclaredEnvironment(AUTHORIZER_FUNCTION);

type AuthorizerEvent = { headers?: Record<string, string | undefined>; identitySource?: string[] };
export type AuthorizerResult = { isAuthorized: boolean; context?: Record<string, string> };

const ALGORITHMS = ['RS256', 'ES256'];

let verifier:
  | { issuer: string; audiences: string[]; keys: ReturnType<typeof createRemoteJWKSet> }
  | undefined;

const getVerifier = () => {
  verifier ??= {
    issuer: required('JWT_ISSUER'),
    audiences: required('JWT_AUDIENCE')
      .split(',')
      .map((audience) => audience.trim())
      .filter(Boolean),
    keys: createRemoteJWKSet(new URL(required('JWKS_URL'))),
  };
  return verifier;
};

/** A verified token's claims as strings: numbers and booleans stringified, arrays as `[a b]`. */
export const contextOf = (claims: JWTPayload): Record<string, string> =>
  Object.fromEntries(
    Object.entries(claims).map(([key, value]) => {
      if (typeof value === 'string') return [key, value];
      if (Array.isArray(value)) return [key, `[${value.map(String).join(' ')}]`];
      if (value !== null && typeof value === 'object') return [key, JSON.stringify(value)];
      return [key, String(value)];
    }),
  );

/** Which kind of caller a verified token names, if any the API accepts. */
const acceptable = (claims: JWTPayload, audiences: readonly string[]): boolean => {
  if (claims.token_use === 'access') {
    return typeof claims.client_id === 'string' && claims.aud === undefined && claims.username === undefined;
  }
  const aud = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  return aud.some((audience) => audiences.includes(audience));
};

/**
 * A verified token stays valid until its `exp`, so a warm environment verifies each token once:
 * only successes are kept, by the whole token (signature included), and an expired one is
 * verified (and refused) afresh.
 */
const verified = new Map<string, Record<string, string> & { exp: string }>();
const VERIFIED_CACHE_SIZE = 1_000;

const bearer = (event: AuthorizerEvent): string | undefined => {
  const header = event.identitySource?.[0] ?? event.headers?.authorization;
  const token = header
    ?.trim()
    .replace(/^Bearer\s+/i, '')
    .trim();
  return token ? token : undefined;
};

/** API Gateway answers 401 for this error (and 403 for `isAuthorized: false`). */
const unauthorized = () => new Error('Unauthorized');

export const handler = async (event: AuthorizerEvent): Promise<AuthorizerResult> => {
  const token = bearer(event);
  if (!token) throw unauthorized();
  const known = verified.get(token);
  if (known && Number(known.exp) > Date.now() / 1000) return { isAuthorized: true, context: known };
  verified.delete(token);
  const { issuer, audiences, keys } = getVerifier();
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, keys, {
      issuer,
      algorithms: ALGORITHMS,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch {
    throw unauthorized();
  }
  // API Gateway's JWT authorizer refuses a token issued in the future; jose checks `iat` only with a maximum age.
  if (typeof claims.iat === 'number' && claims.iat > Math.floor(Date.now() / 1000)) throw unauthorized();
  if (!acceptable(claims, audiences)) throw unauthorized();
  const context = contextOf(claims) as Record<string, string> & { exp: string };
  if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
  verified.set(token, context);
  return { isAuthorized: true, context };
};
