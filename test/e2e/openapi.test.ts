import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadRouteHandler } from '#functions/http/openapi/load-handlers.ts';
import { OPENAPI_FILE } from '#functions/http/openapi/write.ts';
import { ROUTES } from '#functions/http/routes.ts';
import { type ApiResponse, useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;
const ADMIN = ORGS.fabrikam.admin;

/** Parses a real answer with the schema the route declares for that status (what the document shows). */
const expectDeclaredShape = async (method: string, path: string, response: ApiResponse) => {
  const route = ROUTES.find((candidate) => candidate.method === method && candidate.path === path);
  if (!route) throw new Error(`no route ${method} ${path}`);
  const schema = (await loadRouteHandler(route)).route?.spec.responses?.[response.status];
  expect(schema, `${method} ${path} declares no ${response.status} response`).toBeDefined();
  if (schema === null) return expect(response.body).toBeUndefined();
  const parsed = schema?.safeParse(response.body);
  expect(parsed?.success, `${method} ${path}: ${JSON.stringify(parsed?.error?.issues?.slice(0, 3))}`).toBe(
    true,
  );
};

const createBody = async (name: string) => {
  const demo = await local.demo();
  return {
    customer: { id: Object.values(demo.customers)[0] },
    name,
    location: 'DE',
    value: { amount: 1000, currency: 'EUR' },
    closeDate: '2027-06-30',
    team: [{ name: 'Owner', email: ADMIN.email, phone: '+49 30 1' }],
    solutions: [demo.solutions['Fabrikam Analytics Suite']],
  };
};

describe('GET /openapi.json and the docs page', () => {
  it('serves the committed document without a token, listing every route', async () => {
    const response = await local.api.anonymous.get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body).toEqual(JSON.parse(await readFile(OPENAPI_FILE, 'utf8')));
    for (const route of ROUTES)
      expect(
        response.body.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
  });

  it('lets clients revalidate: ETag and Cache-Control, then 304 without a body for the same tag', async () => {
    const first = await local.api.anonymous.get('/openapi.json');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    const again = await local.api.anonymous.get('/openapi.json', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
    expect(again.headers.etag).toBe(etag);
    expect((await local.api.anonymous.get('/openapi.json', { 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('serves Swagger UI at /docs from local assets', async () => {
    const page = await local.api.anonymous.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain("url: '/openapi.json'");
    for (const [asset, type] of [
      ['/docs/swagger-ui-bundle.js', 'text/javascript'],
      ['/docs/swagger-ui.css', 'text/css'],
    ] as const) {
      const response = await fetch(`${local.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    // Only the listed assets: no path into node_modules.
    expectProblem(await local.api.anonymous.get('/docs/package.json'), 404);
    expectProblem(await local.api.anonymous.get('/docs/..%2F..%2Fpackage.json'), 404);
  });
});

describe('real answers match the schemas the document declares', () => {
  it('for reads and writes of the main routes', async () => {
    const api = local.api.as(ADMIN.sub);
    const created = await api.post('/v1/deals', await createBody('Documented deal'));
    await expectDeclaredShape('POST', '/v1/deals', created);
    const id = created.body.id as string;
    const reads: [string, string][] = [
      ['/v1/me', '/v1/me'],
      ['/v1/org/users', '/v1/org/users'],
      ['/v1/customers', '/v1/customers?country=DE'],
      ['/v1/solutions', '/v1/solutions?owner=mine'],
      ['/v1/deals', '/v1/deals?view=outbound'],
      ['/v1/deals/{id}', `/v1/deals/${id}`],
      ['/v1/deals/{id}/history', `/v1/deals/${id}/history`],
      ['/health', '/health'],
    ];
    for (const [path, url] of reads) {
      const response = await api.get(url);
      expect(response.status, url).toBe(200);
      await expectDeclaredShape('GET', path, response);
    }
    const favorite = await api.put(`/v1/deals/${id}/favorite`);
    await expectDeclaredShape('PUT', '/v1/deals/{id}/favorite', favorite);
    const stage = await api.post(`/v1/deals/${id}/stage`, { stage: 'qualified' });
    await expectDeclaredShape('POST', '/v1/deals/{id}/stage', stage);
  });
});

describe('limits and Idempotency-Key through the gateway', () => {
  it('refuses a body over 64 KiB (413), a non-JSON body (415) and unknown fields (400)', async () => {
    const api = local.api.as(ADMIN.sub);
    const big = JSON.stringify({ ...(await createBody('Big')), notes: 'x'.repeat(64 * 1024) });
    expectProblem(await api.post('/v1/deals', big), 413, 'body-too-large');
    expectProblem(await api.post('/v1/deals', 'name=x', { 'content-type': 'text/plain' }), 415);
    const unknown = await api.post('/v1/deals', { ...(await createBody('Unknown')), color: 'red' });
    expectProblem(unknown, 400, 'validation');
    expect(unknown.body.errors).toContainEqual({ path: 'color', message: 'Unknown field.' });
  });

  it('replays the first response for a repeated key and refuses the key for another body', async () => {
    const api = local.api.as(ADMIN.sub);
    const body = await createBody('Replayed over HTTP');
    const first = await api.post('/v1/deals', body, { 'Idempotency-Key': 'e2e-replay' });
    const second = await api.post('/v1/deals', body, { 'Idempotency-Key': 'e2e-replay' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const other = await api.post(
      '/v1/deals',
      { ...body, name: 'Another' },
      { 'Idempotency-Key': 'e2e-replay' },
    );
    expectProblem(other, 422, 'idempotency-key-reused');
    const tooLong = await api.post('/v1/deals', body, { 'Idempotency-Key': 'k'.repeat(129) });
    expectProblem(tooLong, 400, 'validation');
  });
});
