import document from '../openapi/openapi.json' with { type: 'json' };
import { publicRoute } from '../route.ts';
import { OpenApiDocument } from '../schemas/operations.ts';

export const handler = publicRoute({ responses: { 200: OpenApiDocument } }, async () => ({
  status: 200,
  body: document,
}));
