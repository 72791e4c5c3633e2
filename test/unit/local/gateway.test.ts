import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDefinition } from '#functions/http/routes.ts';
import type { ApiEventV2 } from '#infra/local/api-event.ts';
import { type Gateway, type LambdaHandler, startGateway } from '#infra/local/gateway.ts';
import { createTokenIssuer, type TokenIssuer } from '#infra/local/tokens.ts';

const ROUTES: RouteDefinition[] = [
  { method: 'GET', path: '/public', handler: 'fake/public', auth: 'none' },
  { method: 'GET', path: '/items/{id}', handler: 'fake/echo', auth: 'jwt' },
  { method: 'POST', path: '/items/{id}', handler: 'fake/echo', auth: 'jwt' },
  { method: 'GET', path: '/plain', handler: 'fake/plain', auth: 'none' },
  { method: 'GET', path: '/broken', handler: 'fake/broken', auth: 'none' },
];

const calls: { handler: string; event: ApiEventV2; functionName: string }[] = [];
const HANDLERS: Record<string, LambdaHandler> = {
  'fake/public': async () => ({ statusCode: 204 }),
  'fake/echo': async (event, context) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'x-fn': context.functionName },
    body: JSON.stringify(event),
  }),
  'fake/plain': async () => ({ ok: true }),
  'fake/broken': async () => {
    throw new Error('secret database detail');
  },
};

let gateway: Gateway;
let tokens: TokenIssuer;
const logs: string[] = [];
const resolved = new Map<string, number>();

beforeAll(async () => {
  tokens = await createTokenIssuer({ port: 1 });
  gateway = await startGateway({
    port: 0,
    routes: ROUTES,
    verifyToken: tokens.verify,
    log: (line) => logs.push(line),
    // As the worker would report it: the public route's handler ran 1.5 ms, 1 ms of it in DynamoDB.
    handlerTiming: (result) =>
      'statusCode' in result && result.statusCode === 204
        ? { durationMs: 1.5, dynamoMs: 1, dynamoCalls: 2 }
        : undefined,
    resolveHandler: async (route) => {
      resolved.set(route.handler, (resolved.get(route.handler) ?? 0) + 1);
      return async (event, context) => {
        calls.push({
          handler: route.handler,
          event: event as ApiEventV2,
          functionName: context.functionName,
        });
        return HANDLERS[route.handler]!(event, context);
      };
    },
  });
});
afterAll(() => gateway.stop());

const call = (path: string, init: RequestInit = {}) => fetch(`${gateway.url}${path}`, init);

describe('local gateway', () => {
  it('rejects a jwt route without a valid token before the handler runs', async () => {
    const before = calls.length;
    for (const authorization of [undefined, 'Bearer nope', 'Basic abc']) {
      const response = await call('/items/1', authorization ? { headers: { authorization } } : {});
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(calls.length).toBe(before);
  });

  it('invokes the handler with the v2 event, the verified claims and a Lambda context', async () => {
    const token = await tokens.issue({ sub: 'u1', email: 'u1@x.example' });
    const response = await call('/items/a%20b?tag=x&tag=y', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', Cookie: 'c=1' },
      body: '{"n":1}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-fn')).toBe('FakeEcho');
    const event = (await response.json()) as ApiEventV2;
    expect(event).toMatchObject({
      routeKey: 'POST /items/{id}',
      rawPath: '/items/a%20b',
      rawQueryString: 'tag=x&tag=y',
      queryStringParameters: { tag: 'x,y' },
      pathParameters: { id: 'a b' },
      cookies: ['c=1'],
      body: '{"n":1}',
      isBase64Encoded: false,
      requestContext: { authorizer: { lambda: { sub: 'u1', email: 'u1@x.example' } } },
    });
    expect(event.requestContext.requestId).toBe(response.headers.get('apigw-requestid'));
  });

  it('says in Server-Timing where an invocation’s time went: gateway, hand-off, handler, DynamoDB', async () => {
    const timing = (response: Response) =>
      Object.fromEntries(
        (response.headers.get('server-timing') ?? '').split(', ').map((entry) => {
          const [name, rest = ''] = entry.split(';dur=');
          return [name, Number.parseFloat(rest)];
        }),
      );
    const measured = timing(await call('/public'));
    expect(Object.keys(measured)).toEqual(['gateway', 'invoke', 'handler', 'dynamodb']);
    expect(measured).toMatchObject({ handler: 0.5, dynamodb: 1 });
    expect((await call('/public')).headers.get('server-timing')).toContain(
      'dynamodb;dur=1.00;desc="2 calls"',
    );
    for (const part of Object.values(measured)) expect(part).toBeGreaterThanOrEqual(0);
    // Without the handler's own measure, the invocation is not split.
    expect(Object.keys(timing(await call('/plain')))).toEqual(['gateway', 'invoke']);
    // No invocation, no timing: the gateway answered by itself.
    expect((await call('/items/1')).headers.get('server-timing')).toBeNull();
  });

  it('accepts the token without the Bearer prefix, as the authorizer does', async () => {
    const response = await call('/items/1', {
      headers: { authorization: await tokens.issue({ sub: 'u2' }) },
    });
    expect(response.status).toBe(200);
  });

  it('applies the payload 2.0 rules to results without statusCode', async () => {
    const response = await call('/plain');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ok: true });
    expect((await call('/public')).status).toBe(204);
  });

  it('answers a thrown handler error with a generic 500 and keeps the cause in the log', async () => {
    const response = await call('/broken');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret database detail');
    expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'internal' });
    expect(logs.some((line) => line.includes('secret database detail'))).toBe(true);
  });

  it('answers 404 for an unknown path and 405 with Allow for a known path and another method', async () => {
    expect((await call('/nothing')).status).toBe(404);
    const wrong = await call('/items/1', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
  });

  it('loads each handler module once, like a warm Lambda, and logs one line per request', async () => {
    const token = await tokens.issue({ sub: 'u3' });
    for (const id of ['x', 'y', 'z'])
      await call(`/items/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(resolved.get('fake/echo')).toBe(1);
    expect(logs.filter((line) => /^GET \/items\/[xyz] 200 \d+ms/.test(line))).toHaveLength(3);
  });
});
