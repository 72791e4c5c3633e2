/**
 * `npm run openapi`: regenerates functions/http/openapi/openapi.json from the route table and the
 * handlers' zod schemas. test/unit/openapi fails while the committed file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateOpenApi } from './generate.ts';
import { loadRouteHandler } from './load-handlers.ts';

export const OPENAPI_FILE = fileURLToPath(new URL('./openapi.json', import.meta.url));

export const serializeOpenApi = (document: unknown): string => `${JSON.stringify(document, null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const document = await generateOpenApi(loadRouteHandler);
  await writeFile(OPENAPI_FILE, serializeOpenApi(document));
  console.log(`wrote ${OPENAPI_FILE}: ${Object.keys(document.paths).length} paths`);
}
