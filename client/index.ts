/**
 * The typed client of the co-sell referrals API: paths, parameters, bodies and responses all come
 * from the generated `schema.d.ts`, so a call the API does not accept does not compile.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.d.ts';

export type { components, paths };
export type Schemas = components['schemas'];
export type Problem = Schemas extends { Problem: infer P } ? P : Record<string, unknown>;

export interface CoSellClientOptions {
  /** The API's origin, e.g. `http://localhost:3000` or the deployed API URL. */
  baseUrl: string;
  /** Called before each request, so a caller can refresh its token. */
  token: () => string | Promise<string>;
  fetch?: typeof globalThis.fetch;
}

export const createCoSellClient = ({ baseUrl, token, fetch }: CoSellClientOptions) => {
  const client = createClient<paths>({ baseUrl, ...(fetch ? { fetch } : {}) });
  const bearer: Middleware = {
    async onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${await token()}`);
      return request;
    },
  };
  client.use(bearer);
  return client;
};

export type CoSellClient = ReturnType<typeof createCoSellClient>;

export { fieldName, sentence } from './messages.ts';
export { type BodyName, type FieldProblem, validateBody } from './validate.ts';

export interface ClientCredentialsOptions {
  /** The `tokenUrl` the API client was made with (`POST /v1/org/api-clients`). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof globalThis.fetch;
}

/** Fetch a new token this long before the current one expires, so no request carries a stale one. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * A `token` function for `createCoSellClient` that holds an API client's access token: the OAuth 2.0
 * client-credentials grant (form-encoded, HTTP Basic), fetched on first use and again shortly
 * before it expires. Concurrent requests share one grant.
 */
export const clientCredentials = ({
  tokenUrl,
  clientId,
  clientSecret,
  fetch = globalThis.fetch,
}: ClientCredentialsOptions): (() => Promise<string>) => {
  let current: Promise<{ token: string; renewAt: number }> | undefined;
  const basic = btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`);
  const grant = async () => {
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
    };
    if (!response.ok || !body.access_token) {
      throw new Error(`The token endpoint refused the client: ${response.status} ${body.error ?? ''}`.trim());
    }
    return {
      token: body.access_token,
      renewAt: Date.now() + (body.expires_in ?? 0) * 1000 - EXPIRY_MARGIN_MS,
    };
  };
  return async () => {
    const held = current && (await current.catch(() => undefined));
    if (held && held.renewAt > Date.now()) return held.token;
    current = grant();
    return (await current).token;
  };
};
