import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDeps } from '#functions/composition/deps.ts';
import { HEALTH_CACHE_MS, handler as health } from '#functions/http/operations/health.ts';
import {
  OPENAPI_CACHE_CONTROL,
  OPENAPI_ETAG,
  handler as openapi,
} from '#functions/http/operations/openapi.ts';
import { wireHandlersToTestTable } from '#test/support/api-world.ts';
import { invoke } from '#test/support/http.ts';

beforeAll(async () => {
  await wireHandlersToTestTable();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Moves the wall clock (Date only; timers and I/O stay real) past any cached health check. */
const moveClock = (ms: number) => vi.setSystemTime(new Date(Date.now() + ms));

describe('GET /health answers from a short in-process cache', () => {
  it('reads the table once for every call within the cache time, and again after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    moveClock(HEALTH_CACHE_MS);
    const ping = vi.spyOn(getDeps().orgs, 'ping');

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => invoke(health, { route: 'GET /health' })),
    );
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { status: 'ok' } });
    moveClock(HEALTH_CACHE_MS - 1);
    expect(await invoke(health, { route: 'GET /health' })).toMatchObject({ status: 200 });
    expect(ping).toHaveBeenCalledTimes(1);

    moveClock(1);
    expect(await invoke(health, { route: 'GET /health' })).toMatchObject({ status: 200 });
    expect(ping).toHaveBeenCalledTimes(2);
  });

  it('keeps a failed check for the cache time too, so an outage is not a read per call', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    moveClock(HEALTH_CACHE_MS);
    const ping = vi.spyOn(getDeps().orgs, 'ping').mockRejectedValue(new Error('table down'));
    const { logger } = await import('#functions/observability.ts');
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    expect((await invoke(health, { route: 'GET /health' })).status).toBe(503);
    expect((await invoke(health, { route: 'GET /health' })).status).toBe(503);
    expect(ping).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledTimes(1);

    ping.mockRestore();
    moveClock(HEALTH_CACHE_MS);
    expect((await invoke(health, { route: 'GET /health' })).status).toBe(200);
  });
});

describe('GET /openapi.json is cacheable', () => {
  it('sends an ETag and Cache-Control with the document', async () => {
    const response = await invoke(openapi, { route: 'GET /openapi.json' });
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ etag: OPENAPI_ETAG, 'cache-control': OPENAPI_CACHE_CONTROL });
    expect(OPENAPI_ETAG).toMatch(/^"[\w-]+"$/);
    expect(response.body.openapi).toMatch(/^3\.1/);
  });

  it('answers 304 without a body to a matching If-None-Match (weak or in a list), keeping the validators', async () => {
    for (const ifNoneMatch of [OPENAPI_ETAG, `W/${OPENAPI_ETAG}`, `"other", ${OPENAPI_ETAG}`, '*']) {
      const response = await invoke(openapi, {
        route: 'GET /openapi.json',
        headers: { 'if-none-match': ifNoneMatch },
      });
      expect(response.status, ifNoneMatch).toBe(304);
      expect(response.body).toBeUndefined();
      expect(response.headers).toEqual({ etag: OPENAPI_ETAG, 'cache-control': OPENAPI_CACHE_CONTROL });
    }
  });

  it('sends the whole document when the tag does not match', async () => {
    const response = await invoke(openapi, {
      route: 'GET /openapi.json',
      headers: { 'if-none-match': '"stale"' },
    });
    expect(response.status).toBe(200);
    expect(response.body.paths).toBeDefined();
  });
});
