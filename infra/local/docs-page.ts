/**
 * The local runtime's browsable API docs at `/docs`: Swagger UI (the `swagger-ui-dist` dev
 * dependency, served from node_modules, nothing fetched from the internet) reading `/openapi.json`.
 * Local only; the cloud stack serves the document, not the page.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { GatewayResponse } from './api-event.ts';

const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Co-sell referrals API (local)</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script>
    // Get a token with POST /dev/tokens, then "Authorize" with it.
    window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', deepLinking: true, persistAuthorization: true });
  </script>
</body>
</html>
`;

let assetDir: string | undefined;
const assets = (): string => {
  assetDir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return assetDir;
};

/** The page or one of its assets for a GET of `rawPath`, or undefined when the path is not the docs'. */
export const docsPage = async (rawPath: string): Promise<GatewayResponse | undefined> => {
  if (rawPath === '/docs' || rawPath === '/docs/')
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: Buffer.from(PAGE),
    };
  const name = rawPath.startsWith('/docs/') ? rawPath.slice('/docs/'.length) : undefined;
  const type = name === undefined ? undefined : ASSETS[name];
  if (!name || !type) return undefined;
  return {
    statusCode: 200,
    headers: { 'content-type': type, 'cache-control': 'public, max-age=3600' },
    body: await readFile(join(assets(), name)),
  };
};
