import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  BODY_SCHEMAS_FILE,
  generateBodySchemas,
  generateSchema,
  SCHEMA_FILE,
} from '../../../client/generate.ts';

describe('the typed client', () => {
  it('is generated from the committed OpenAPI document (run `npm run openapi` after changing a route)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(await generateSchema());
    // openapi-typescript loads its own TypeScript compiler: seconds on a busy machine.
  }, 60_000);

  it('carries the request bodies’ JSON Schemas its validateBody checks with, as generated', async () => {
    expect(await readFile(BODY_SCHEMAS_FILE, 'utf8')).toBe(await generateBodySchemas());
  });
});
