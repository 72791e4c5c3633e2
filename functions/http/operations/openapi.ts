import { createHash } from 'node:crypto';
import { conditionalGet } from '../middleware/conditional-get.ts';
import document from '../openapi/openapi.json' with { type: 'json' };
import { publicRoute } from '../route.ts';
import { OpenApiDocument } from '../schemas/operations.ts';

/**
 * The document only changes with a deploy, so its ETag is computed once per cold start. Clients and
 * caches reuse it for five minutes, then revalidate: a matching `If-None-Match` answers 304 with no
 * body instead of ~190 KB.
 */
export const OPENAPI_ETAG = `"${createHash('sha256').update(JSON.stringify(document)).digest('base64url').slice(0, 27)}"`;
export const OPENAPI_CACHE_CONTROL = 'public, max-age=300';

export const handler = publicRoute(
  {
    summary: 'This OpenAPI document',
    description:
      'Public. The OpenAPI 3.1 document of the API, generated from the schemas that validate each request. Answers 304 to a matching `If-None-Match`.',
    responses: { 200: OpenApiDocument, 304: null },
  },
  async () => ({
    status: 200,
    headers: { etag: OPENAPI_ETAG, 'cache-control': OPENAPI_CACHE_CONTROL },
    body: document,
  }),
);
handler.use(conditionalGet());
