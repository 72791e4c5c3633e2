/** Response shapes of the operations routes (health, the OpenAPI document). */
import * as z from 'zod';

export const HealthResponse = z.object({ status: z.literal('ok') });

/** `GET /openapi.json` answers an OpenAPI 3.1 document; its own schema stays open. */
export const OpenApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({}),
  paths: z.looseObject({}),
});
