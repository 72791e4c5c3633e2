/**
 * What the web console reads at run time from `/config.json`, next to its `index.html`: the same
 * build runs in every stage, and only this file (written at deploy time, with the stack's values)
 * differs. Locally the console signs in through the runtime's dev tokens instead.
 */

/** Where the console receives the authorization code, and where sign-out returns (under its URL). */
export const CONSOLE_CALLBACK_PATH = '/signin/callback';
export const CONSOLE_SIGNED_OUT_PATH = '/';
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'] as const;

export type ConsoleConfig = {
  /** Prefix of the API's paths (`/v1/...`): empty, because the API is on the console's own origin. */
  apiBaseUrl: '';
  /** OpenID Connect, authorization code flow with PKCE (S256), as a public client (no secret). */
  auth: {
    issuer: string;
    clientId: string;
    redirectUri: string;
    postLogoutRedirectUri: string;
    scopes: string[];
    /**
     * The Cognito hosted UI's endpoints. Absent with another OIDC provider: the console reads them
     * from `<issuer>/.well-known/openid-configuration`.
     */
    authorizationEndpoint?: string;
    tokenEndpoint?: string;
    /** Cognito's logout endpoint takes `client_id` and `logout_uri` (= postLogoutRedirectUri). */
    logoutEndpoint?: string;
  };
};

export const consoleConfig = (values: {
  /** The console's URL, no trailing slash. */
  consoleUrl: string;
  issuer: string;
  clientId: string;
  /** The Cognito hosted UI's base URL, when the stack's own user pool signs users in. */
  hostedUiUrl?: string;
}): ConsoleConfig => ({
  apiBaseUrl: '',
  auth: {
    issuer: values.issuer,
    clientId: values.clientId,
    redirectUri: `${values.consoleUrl}${CONSOLE_CALLBACK_PATH}`,
    postLogoutRedirectUri: `${values.consoleUrl}${CONSOLE_SIGNED_OUT_PATH}`,
    scopes: [...CONSOLE_SCOPES],
    ...(values.hostedUiUrl
      ? {
          authorizationEndpoint: `${values.hostedUiUrl}/oauth2/authorize`,
          tokenEndpoint: `${values.hostedUiUrl}/oauth2/token`,
          logoutEndpoint: `${values.hostedUiUrl}/logout`,
        }
      : {}),
  },
});
