/**
 * The console at the API's origin: built files and the SPA fallback come from web/dist, but never
 * shadow the API, the docs or the /dev routes, and never leave the build folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDefinition } from '#functions/http/routes.ts';
import { consolePage } from '#infra/local/console.ts';
import { type Gateway, startGateway } from '#infra/local/gateway.ts';

const ROUTES: RouteDefinition[] = [
  { method: 'GET', path: '/v1/deals/{id}', handler: 'fake/deal', auth: 'none' },
  { method: 'GET', path: '/health', handler: 'fake/health', auth: 'none' },
];

let dist: string;
let gateway: Gateway;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'console-'));
  dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'outside the build');
  gateway = await startGateway({
    port: 0,
    routes: ROUTES,
    verifyToken: async () => {
      throw new Error('no tokens here');
    },
    devRoutes: [
      { method: 'POST', path: '/dev/tokens', handle: async () => ({ status: 200, body: { token: 't' } }) },
    ],
    log: () => undefined,
    resolveHandler: async (route) => async () => ({
      statusCode: 200,
      body: JSON.stringify({ from: route.handler }),
    }),
    console: (method, rawPath) => consolePage(method, rawPath, dist),
  });
});
afterAll(async () => {
  await gateway.stop();
  rmSync(join(dist, '..'), { recursive: true, force: true });
});

const get = (path: string, init: RequestInit = {}) => fetch(`${gateway.url}${path}`, init);

describe('console at the API origin', () => {
  it('answers every page path of the app with index.html, revalidated on each load', async () => {
    for (const path of ['/', '/signin?returnTo=%2Fdeals', '/deals', '/deals/01ABC', '/deals/new']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<title>console</title>');
    }
  });

  it('answers /config.json with the local configuration, so no page load meets a 404', async () => {
    const config = await get('/config.json');
    expect(config.status).toBe(200);
    expect(await config.json()).toEqual({ auth: null });
  });

  it('serves hashed assets as immutable and a missing asset as a 404, not the page', async () => {
    const asset = await get('/assets/index-abc.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await get('/assets/index-old.js')).status).toBe(404);
  });

  it('leaves the API, /health and the /dev routes alone', async () => {
    expect(await (await get('/v1/deals/1')).json()).toEqual({ from: 'fake/deal' });
    expect(await (await get('/health')).json()).toEqual({ from: 'fake/health' });
    const unknownApi = await get('/v1/nothing-here');
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toBe('application/problem+json');
    expect((await get('/dev/unknown')).headers.get('content-type')).toBe('application/problem+json');
    expect((await get('/dev/tokens', { method: 'POST' })).status).toBe(200);
    expect((await get('/deals', { method: 'POST' })).status).toBe(404);
  });

  it('never serves a file outside the build folder', async () => {
    // Asked directly: a browser's URL parser would already have removed the dot segments.
    for (const rawPath of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const response = await consolePage('GET', rawPath, dist);
      expect(response?.body.toString() ?? '', rawPath).not.toContain('outside the build');
    }
    expect((await get('/docs/..%2F..%2Fpackage.json')).status).toBe(404);
  });
});
