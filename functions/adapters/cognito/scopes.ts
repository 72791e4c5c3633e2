/**
 * The OAuth scopes of API clients as the identity provider spells them: the resource server's
 * identifier, a slash, the API's scope (`co-sell/deals:read`). The stack's resource server, the
 * adapter that registers clients, the local token endpoint and the authorizer all use this one
 * spelling.
 */
import { API_SCOPES, type ApiScope } from '#domain/kernel/actor.ts';

export const RESOURCE_SERVER_ID = 'co-sell';

export const oauthScope = (scope: ApiScope): string => `${RESOURCE_SERVER_ID}/${scope}`;

/** The API's scopes named in a token's space-separated `scope` claim; others are ignored. */
export const apiScopesOf = (scopeClaim: unknown): ApiScope[] =>
  typeof scopeClaim !== 'string'
    ? []
    : API_SCOPES.filter((scope) => scopeClaim.split(/\s+/).includes(oauthScope(scope)));
