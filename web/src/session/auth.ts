/**
 * The signed-in session: a bearer token kept for this browser tab. The page a signed-out visitor
 * asked for travels through sign-in (`/signin?returnTo=`, then the OIDC `state`'s pending entry) so
 * that a deep link (every email's "Open the deal") lands where it pointed.
 *
 * Where sign-in happens is decided at start-up by `/config.json` (written at deploy time): with an
 * `auth` section the console signs in at that OIDC provider (Cognito hosted UI, code + PKCE); without
 * the file, or with a file without `auth`, it is the local runtime and its dev token route.
 */
import { checkCallback, exchangeCode, type OidcClient, type OidcEndpoints, startSignIn } from './pkce.ts';

const TOKEN_KEY = 'co-sell.token';

/** The shape of the deploy's `config.json` that the console reads (infra/constructs/console-config.ts). */
type CloudAuth = OidcClient & {
  issuer: string;
  postLogoutRedirectUri: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  logoutEndpoint?: string;
};

let cloud: CloudAuth | null = null;

const isCloudAuth = (value: unknown): value is CloudAuth => {
  const auth = value as Partial<CloudAuth> | null | undefined;
  return (
    typeof auth?.clientId === 'string' &&
    typeof auth.issuer === 'string' &&
    typeof auth.redirectUri === 'string' &&
    Array.isArray(auth.scopes)
  );
};

/** Reads `/config.json` once, before the first render. Anything but a JSON config with `auth` means local. */
export const loadAuthConfig = async (): Promise<void> => {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok || !response.headers.get('content-type')?.includes('json')) return;
    const config = (await response.json()) as { auth?: unknown };
    cloud = isCloudAuth(config.auth) ? config.auth : null;
  } catch {
    cloud = null;
  }
};

export const isCloudSignIn = (): boolean => cloud !== null;

/** The hosted UI's endpoints from the config, or else the provider's discovery document. */
const endpointsOf = async (auth: CloudAuth): Promise<OidcEndpoints> => {
  if (auth.authorizationEndpoint && auth.tokenEndpoint)
    return { authorizationEndpoint: auth.authorizationEndpoint, tokenEndpoint: auth.tokenEndpoint };
  const response = await fetch(`${auth.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  const discovery = (await response.json()) as { authorization_endpoint: string; token_endpoint: string };
  return { authorizationEndpoint: discovery.authorization_endpoint, tokenEndpoint: discovery.token_endpoint };
};

export const currentToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

export const signOut = (): void => sessionStorage.removeItem(TOKEN_KEY);

/** Signs out of the console and, in the cloud, of the provider's session too (else it signs straight back in). */
export const signOutEverywhere = (): boolean => {
  signOut();
  if (!cloud?.logoutEndpoint) return false;
  const url = new URL(cloud.logoutEndpoint);
  url.search = new URLSearchParams({
    client_id: cloud.clientId,
    logout_uri: cloud.postLogoutRedirectUri,
  }).toString();
  window.location.assign(url.toString());
  return true;
};

/** The local runtime's token route (not part of the API's OpenAPI document, absent in the cloud). */
export const signInLocally = async (sub: string, email?: string): Promise<void> => {
  const response = await fetch('/dev/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // An address given here stands for one the identity provider verified: how an invited person signs in.
    body: JSON.stringify(email ? { sub, email, emailVerified: true } : { sub }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; detail?: string };
  if (!response.ok || !body.token) throw new Error(body.detail ?? `Sign-in failed (${response.status}).`);
  sessionStorage.setItem(TOKEN_KEY, body.token);
};

/** In the cloud: off to the provider's sign-in, remembering where to come back to. */
export const beginCloudSignIn = async (returnTo: string): Promise<void> => {
  if (!cloud) throw new Error('Cloud sign-in is not configured.');
  window.location.assign(await startSignIn(await endpointsOf(cloud), cloud, returnTo, sessionStorage));
};

/** At `/signin/callback`: checks the state, exchanges the code, keeps the token; answers the page to open. */
export const completeCloudSignIn = async (query: URLSearchParams): Promise<string> => {
  if (!cloud) throw new Error('Cloud sign-in is not configured.');
  const callback = checkCallback(query, sessionStorage);
  const token = await exchangeCode((await endpointsOf(cloud)).tokenEndpoint, cloud, callback);
  sessionStorage.setItem(TOKEN_KEY, token);
  return safeReturnTo(callback.returnTo);
};

/** Only same-origin paths are followed after sign-in, never an absolute URL someone put in the link. */
export const safeReturnTo = (value: string | null): string =>
  value?.startsWith('/') && !value.startsWith('//') ? value : '/deals?view=inbound';

export const signInPath = (returnTo: string): string => `/signin?returnTo=${encodeURIComponent(returnTo)}`;
