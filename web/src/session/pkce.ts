/**
 * The authorization code flow with PKCE (RFC 7636, S256) as the console runs it in the cloud: pure
 * helpers without the DOM, so they are unit-tested in Node. The verifier and the state travel in
 * this tab's session storage from the redirect to the callback; a callback whose `state` is not the
 * one this tab sent is refused (it was not started here).
 */

export type OidcEndpoints = { authorizationEndpoint: string; tokenEndpoint: string };
export type OidcClient = { clientId: string; redirectUri: string; scopes: string[] };

/** What the redirect leaves behind for the callback. */
export type PendingSignIn = { state: string; verifier: string; returnTo: string };

/** The part of `sessionStorage` used (a Map-backed one in the unit tests). */
export type KeyValueStore = {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
};

const PENDING_KEY = 'co-sell.pkce';

export const base64Url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
};

/** 32 random bytes: a 43-character verifier of the unreserved alphabet (RFC 7636 §4.1). */
export const randomToken = (): string => base64Url(crypto.getRandomValues(new Uint8Array(32)));

/** S256: BASE64URL(SHA-256(ASCII(verifier))). */
export const challengeOf = async (verifier: string): Promise<string> =>
  base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));

/** Starts a sign-in: remembers verifier, state and the page to return to, and answers where to go. */
export const startSignIn = async (
  endpoints: OidcEndpoints,
  client: OidcClient,
  returnTo: string,
  store: KeyValueStore,
): Promise<string> => {
  const pending: PendingSignIn = { state: randomToken(), verifier: randomToken(), returnTo };
  store.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(endpoints.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: client.scopes.join(' '),
    state: pending.state,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
};

/**
 * Checks the callback's query against the sign-in this tab started (used once: the pending entry is
 * removed whatever the outcome) and answers the code with what was remembered.
 */
export const checkCallback = (
  query: URLSearchParams,
  store: KeyValueStore,
): { code: string; verifier: string; returnTo: string } => {
  const raw = store.getItem(PENDING_KEY);
  store.removeItem(PENDING_KEY);
  const error = query.get('error');
  if (error) throw new Error(`Sign-in failed: ${query.get('error_description') ?? error}.`);
  let pending: PendingSignIn | null = null;
  try {
    pending = raw ? (JSON.parse(raw) as PendingSignIn) : null;
  } catch {
    pending = null;
  }
  if (!pending?.state || !pending.verifier) throw new Error('No sign-in was started in this tab.');
  if (query.get('state') !== pending.state) throw new Error('The sign-in answer does not match this tab.');
  const code = query.get('code');
  if (!code) throw new Error('The sign-in answer carries no code.');
  return { code, verifier: pending.verifier, returnTo: pending.returnTo };
};

/**
 * Exchanges the code at the token endpoint (a public client: the verifier stands in for a secret).
 * The API wants the ID token: it carries the email the access token lacks.
 */
export const exchangeCode = async (
  tokenEndpoint: string,
  client: OidcClient,
  callback: { code: string; verifier: string },
  fetchImpl: typeof fetch = fetch,
): Promise<string> => {
  const response = await fetchImpl(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: client.clientId,
      code: callback.code,
      redirect_uri: client.redirectUri,
      code_verifier: callback.verifier,
    }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as {
    id_token?: string;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !body.id_token)
    throw new Error(`Sign-in failed: ${body.error_description ?? body.error ?? response.status}.`);
  return body.id_token;
};
