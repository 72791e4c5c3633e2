/**
 * The web console at the API's origin (`npm start`, the browser tests): the built files of web/dist
 * and, for any other GET of a page path, its index.html, so `/deals/{id}` from an email opens the
 * single-page app, and `/config.json` (which a deploy writes beside the files) as the local runtime's:
 * no `auth`, so the console signs in with the dev tokens, and no 404 on every page load. The
 * gateway asks here only after the docs, the /dev routes and the API's own
 * routes found nothing, and never for `/v1/…` or `/dev/…` (an unknown API path stays a problem+json 404).
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { GatewayResponse } from './api-event.ts';

/** Path prefixes that belong to the API or the local runtime, never to the console. */
const NOT_CONSOLE = ['/v1/', '/dev/'];

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** The console's start-up configuration locally: no OIDC provider, so it uses the dev tokens. */
const LOCAL_CONFIG_PATH = '/config.json';
const LOCAL_CONFIG = { auth: null };

const file = async (path: string): Promise<Buffer | undefined> => {
  try {
    return (await stat(path)).isFile() ? await readFile(path) : undefined;
  } catch {
    return undefined;
  }
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Console not built</title></head>
<body><main><h1>The console is not built yet</h1><p>Run <code>npm run build:web</code> (npm start builds it and keeps it built).</p></main></body></html>`;

/** The console's answer to a GET of `rawPath` from the build in `dist`, or undefined when the path is not the console's. */
export const consolePage = async (
  method: string,
  rawPath: string,
  dist: string,
): Promise<GatewayResponse | undefined> => {
  if (method !== 'GET') return undefined;
  if (NOT_CONSOLE.some((prefix) => rawPath.startsWith(prefix) || rawPath === prefix.slice(0, -1)))
    return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded === LOCAL_CONFIG_PATH && !(await file(join(dist, 'config.json'))))
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
      body: Buffer.from(JSON.stringify(LOCAL_CONFIG)),
    };
  const target = normalize(join(dist, decoded));
  // Hashed build assets are immutable; anything else (index.html) is revalidated so a rebuild shows at once.
  const body = target.startsWith(dist + sep) && decoded !== '/' ? await file(target) : undefined;
  if (body)
    return {
      statusCode: 200,
      headers: {
        'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
        'cache-control': decoded.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      },
      body,
    };
  // A file that is not there (a stale tab's old chunk, a path out of the build) is a 404, not the app.
  if (extname(decoded) !== '') return undefined;
  const index = await file(join(dist, 'index.html'));
  return {
    statusCode: index ? 200 : 503,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
    body: index ?? Buffer.from(NOT_BUILT),
  };
};
