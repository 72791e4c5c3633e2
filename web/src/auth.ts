/**
 * The signed-in session: a bearer token kept for this browser tab. Locally the token comes from the
 * runtime's dev token route (a demo `sub`); the page a signed-out visitor asked for travels through
 * `/signin?returnTo=` so that a deep link (every email's "Open the deal") lands where it pointed.
 */
const TOKEN_KEY = 'co-sell.token';

export const currentToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

export const signOut = (): void => sessionStorage.removeItem(TOKEN_KEY);

/** The local runtime's token route (not part of the API's OpenAPI document, absent in the cloud). */
export const signInLocally = async (sub: string): Promise<void> => {
  const response = await fetch('/dev/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; detail?: string };
  if (!response.ok || !body.token) throw new Error(body.detail ?? `Sign-in failed (${response.status}).`);
  sessionStorage.setItem(TOKEN_KEY, body.token);
};

/** Only same-origin paths are followed after sign-in, never an absolute URL someone put in the link. */
export const safeReturnTo = (value: string | null): string =>
  value?.startsWith('/') && !value.startsWith('//') ? value : '/deals?view=inbound';

export const signInPath = (returnTo: string): string => `/signin?returnTo=${encodeURIComponent(returnTo)}`;
