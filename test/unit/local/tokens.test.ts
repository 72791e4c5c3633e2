import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT } from 'jose';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenIssuer, InvalidTokenError, LOCAL_AUDIENCE } from '#infra/local/tokens.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokens-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

describe('local token issuer', () => {
  it('issues a 12-hour ES256 token that verifies to its sub and email', async () => {
    const issuer = await createTokenIssuer({ port: 3000 });
    const claims = await issuer.verify(await issuer.issue({ sub: 'host-admin', email: 'h@host.example' }));
    expect(claims).toMatchObject({
      sub: 'host-admin',
      email: 'h@host.example',
      iss: 'http://localhost:3000/local-issuer',
      aud: LOCAL_AUDIENCE,
    });
    expect(claims.exp! - claims.iat!).toBe(12 * 60 * 60);
  });

  it('answers a verified token from memory only until its exp, and never a token it did not verify', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const issuer = await createTokenIssuer({ port: 3000 });
    const token = await issuer.issue({ sub: 'cached' }, { expiresInSeconds: 60 });
    const first = await issuer.verify(token);
    expect(await issuer.verify(token)).toEqual(first);

    // Same header and claims, another signature: not the remembered token, so verified and refused.
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    await expect(issuer.verify(forged)).rejects.toThrow(InvalidTokenError);

    vi.setSystemTime(Date.now() + 61_000);
    await expect(issuer.verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('rejects an expired token', async () => {
    const issuer = await createTokenIssuer({ port: 3000 });
    const token = await issuer.issue({ sub: 'u' }, { expiresInSeconds: -5 });
    await expect(issuer.verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('rejects a token issued in the future, as API Gateway does', async () => {
    const issuer = await createTokenIssuer({ port: 3000 });
    const future = await issuer.issue({ sub: 'u' }, { issuedAt: new Date(Date.now() + 10 * 60_000) });
    await expect(issuer.verify(future)).rejects.toThrow(InvalidTokenError);
    const now = await issuer.issue({ sub: 'u' }, { issuedAt: new Date() });
    await expect(issuer.verify(now)).resolves.toMatchObject({ sub: 'u' });
  });

  it('rejects a token signed by another key', async () => {
    const issuer = await createTokenIssuer({ port: 3000 });
    const other = await createTokenIssuer({ port: 3000 });
    await expect(issuer.verify(await other.issue({ sub: 'u' }))).rejects.toThrow(InvalidTokenError);
  });

  it('rejects another issuer and another audience even with the same key', async () => {
    const keyFile = join(dir, 'shared-key.json');
    const issuer = await createTokenIssuer({ port: 3000, keyFile });
    const otherPort = await createTokenIssuer({ port: 4000, keyFile });
    await expect(issuer.verify(await otherPort.issue({ sub: 'u' }))).rejects.toThrow(InvalidTokenError);

    // Sign a token with the same key but a foreign audience, through the persisted private JWK.
    const jwk = JSON.parse(readFileSync(keyFile, 'utf8'));
    const wrongAudience = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
      .setSubject('u')
      .setIssuer(issuer.issuer)
      .setAudience('someone-else')
      .setExpirationTime('1h')
      .sign(await importJWK(jwk, 'ES256'));
    await expect(issuer.verify(wrongAudience)).rejects.toThrow(InvalidTokenError);
  });

  it('keeps the key in its file, so tokens survive a restart', async () => {
    const keyFile = join(dir, 'persisted-key.json');
    const first = await createTokenIssuer({ port: 3000, keyFile });
    const token = await first.issue({ sub: 'u' });
    const restarted = await createTokenIssuer({ port: 3000, keyFile });
    await expect(restarted.verify(token)).resolves.toMatchObject({ sub: 'u' });
    expect(restarted.jwks().keys[0]).not.toHaveProperty('d');
  });

  it('rejects garbage and unsigned tokens', async () => {
    const issuer = await createTokenIssuer({ port: 3000 });
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        sub: 'u',
        iss: issuer.issuer,
        aud: LOCAL_AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 60,
      }),
    ).toString('base64url');
    for (const token of ['garbage', `${header}.${payload}.`]) {
      await expect(issuer.verify(token)).rejects.toThrow(InvalidTokenError);
    }
  });
});
