/**
 * The Lambda authorizer (functions/authorizer/authorize.ts) against an issuer whose keys it fetches
 * over HTTP: a person's ID token and an API client's access token pass with their claims as the
 * context; anything else is refused with API Gateway's 401 (`Unauthorized`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const AUDIENCE = 'console-client';
let server: Server;
let issuer = '';
let sign: (
  claims: JWTPayload,
  options?: { audience?: string; iat?: number; exp?: number },
) => Promise<string>;
let handler: typeof import('#functions/authorizer/authorize.ts').handler;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pool`;
  sign = (claims, { audience, iat, exp } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setIssuedAt(iat ?? now)
      .setExpirationTime(exp ?? now + 600);
    return (audience ? jwt.setAudience(audience) : jwt).sign(privateKey);
  };
  process.env.JWT_ISSUER = issuer;
  process.env.JWT_AUDIENCE = `other, ${AUDIENCE}`;
  process.env.JWKS_URL = `${issuer}/.well-known/jwks.json`;
  ({ handler } = await import('#functions/authorizer/authorize.ts'));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const event = (token: string) => ({
  identitySource: [`Bearer ${token}`],
  headers: { authorization: `Bearer ${token}` },
});

describe('the Lambda authorizer', () => {
  it("passes a person's ID token with its claims, as strings, as the context", async () => {
    const token = await sign(
      { sub: 'person-1', email: 'p@x.example', email_verified: true, token_use: 'id' },
      { audience: AUDIENCE },
    );
    const result = await handler(event(token));
    expect(result.isAuthorized).toBe(true);
    expect(result.context).toMatchObject({
      sub: 'person-1',
      email: 'p@x.example',
      email_verified: 'true',
      aud: AUDIENCE,
    });
    // A warm environment answers the same token again without verifying it anew.
    expect(await handler(event(token))).toEqual(result);
  });

  it("passes an API client's access token (client-credentials grant), which names no audience", async () => {
    const token = await sign({
      sub: 'app1',
      client_id: 'app1',
      token_use: 'access',
      scope: 'co-sell/deals:read',
    });
    const result = await handler(event(token));
    expect(result).toEqual({
      isAuthorized: true,
      context: expect.objectContaining({
        client_id: 'app1',
        token_use: 'access',
        scope: 'co-sell/deals:read',
      }),
    });
  });

  it.each([
    ['no token', async () => ''],
    ['not a JWT', async () => 'garbage'],
    ['another audience', () => sign({ sub: 'p' }, { audience: 'someone-else' })],
    ['no audience and no client', () => sign({ sub: 'p' })],
    [
      "a person's access token",
      () => sign({ sub: 'p', client_id: AUDIENCE, token_use: 'access', username: 'p' }),
    ],
    [
      'an expired token',
      () => sign({ sub: 'p' }, { audience: AUDIENCE, exp: Math.floor(Date.now() / 1000) - 5 }),
    ],
    [
      'a token issued in the future',
      () => sign({ sub: 'p' }, { audience: AUDIENCE, iat: Math.floor(Date.now() / 1000) + 600 }),
    ],
  ])('refuses %s with 401', async (_what, token) => {
    await expect(handler(event(await token()))).rejects.toThrow('Unauthorized');
  });
});
