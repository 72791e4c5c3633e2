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
