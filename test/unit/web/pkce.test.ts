import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  challengeOf,
  checkCallback,
  exchangeCode,
  type KeyValueStore,
  randomToken,
  startSignIn,
} from '../../../web/src/session/pkce.ts';

const memoryStore = (): KeyValueStore & { size: () => number } => {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    size: () => map.size,
  };
};

const endpoints = {
  authorizationEndpoint: 'https://auth.example.com/oauth2/authorize',
  tokenEndpoint: 'https://auth.example.com/oauth2/token',
};
const client = {
  clientId: 'console-client',
  redirectUri: 'https://console.example.com/signin/callback',
  scopes: ['openid', 'email', 'profile'],
};

describe('PKCE helpers', () => {
  it('makes 43-character verifiers of the unreserved alphabet, different each time', () => {
    const first = randomToken();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(first);
  });

  it('derives the S256 challenge: base64url of the SHA-256 of the verifier, unpadded', async () => {
    // RFC 7636 appendix B.
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    const verifier = randomToken();
    expect(await challengeOf(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('sends the code flow request with state and the challenge of the verifier it keeps', async () => {
    const store = memoryStore();
    const url = new URL(await startSignIn(endpoints, client, '/deals/01ABC', store));
    expect(url.origin + url.pathname).toBe(endpoints.authorizationEndpoint);
    const query = url.searchParams;
    expect(query.get('response_type')).toBe('code');
    expect(query.get('client_id')).toBe('console-client');
    expect(query.get('redirect_uri')).toBe(client.redirectUri);
    expect(query.get('scope')).toBe('openid email profile');
    expect(query.get('code_challenge_method')).toBe('S256');

    const callback = checkCallback(
      new URLSearchParams({ code: 'the-code', state: query.get('state') ?? '' }),
      store,
    );
    expect(callback.code).toBe('the-code');
    expect(callback.returnTo).toBe('/deals/01ABC');
    expect(await challengeOf(callback.verifier)).toBe(query.get('code_challenge'));
  });

  it('refuses a callback whose state this tab did not send, and uses the pending sign-in only once', async () => {
    const store = memoryStore();
    const url = new URL(await startSignIn(endpoints, client, '/deals?view=inbound', store));
    expect(() => checkCallback(new URLSearchParams({ code: 'c', state: 'forged' }), store)).toThrow(
      /does not match/,
    );
    expect(store.size()).toBe(0);
    const state = url.searchParams.get('state') ?? '';
    expect(() => checkCallback(new URLSearchParams({ code: 'c', state }), store)).toThrow(/No sign-in/);
  });

  it('reports the provider’s error and a missing code', async () => {
    const store = memoryStore();
    await startSignIn(endpoints, client, '/', store);
    expect(() =>
      checkCallback(
        new URLSearchParams({ error: 'access_denied', error_description: 'User cancelled' }),
        store,
      ),
    ).toThrow(/User cancelled/);
    const url = new URL(await startSignIn(endpoints, client, '/', store));
    expect(() =>
      checkCallback(new URLSearchParams({ state: url.searchParams.get('state') ?? '' }), store),
    ).toThrow(/no code/);
  });

  it('exchanges the code with the verifier at the token endpoint and keeps the ID token', async () => {
    const requests: { url: string; init: RequestInit | undefined }[] = [];
    const fakeFetch = (async (url: string, init?: RequestInit) => {
      requests.push({ url, init });
      return new Response(JSON.stringify({ id_token: 'id.jwt', access_token: 'access.jwt' }), {
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
    const token = await exchangeCode(
      endpoints.tokenEndpoint,
      client,
      { code: 'the-code', verifier: 'the-verifier' },
      fakeFetch,
    );
    expect(token).toBe('id.jwt');
    expect(requests[0]?.url).toBe(endpoints.tokenEndpoint);
    const body = new URLSearchParams(String(requests[0]?.init?.body));
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'console-client',
      code: 'the-code',
      redirect_uri: client.redirectUri,
      code_verifier: 'the-verifier',
    });

    const refusing = (async () =>
      new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 })) as typeof fetch;
    await expect(
      exchangeCode(endpoints.tokenEndpoint, client, { code: 'x', verifier: 'y' }, refusing),
    ).rejects.toThrow(/invalid_grant/);
  });
});
