import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '#functions/http/routes.ts';
import { ROUTES } from '#functions/http/routes.ts';
import {
  authorizerClaims,
  buildApiEvent,
  createRouter,
  queryStringParameters,
  requestTime,
  toGatewayResponse,
} from '#infra/local/api-event.ts';

const route = (method: RouteDefinition['method'], path: string): RouteDefinition => ({
  method,
  path,
  handler: 'x/y',
  auth: 'jwt',
});

const dealRoute = route('GET', '/v1/deals/{id}');

const event = (overrides: Partial<Parameters<typeof buildApiEvent>[0]> = {}) =>
  buildApiEvent({
    method: 'GET',
    rawPath: '/v1/deals/abc',
    rawQueryString: '',
    headers: { host: 'localhost:3000', 'user-agent': 'curl/8' },
    route: dealRoute,
    pathParameters: { id: 'abc' },
    sourceIp: '127.0.0.1',
    requestId: 'req-1',
    at: new Date('2026-03-12T19:03:58.123Z'),
    ...overrides,
  });

describe('createRouter', () => {
  const match = createRouter([
    route('GET', '/v1/deals'),
    route('GET', '/v1/deals/{id}'),
    route('PATCH', '/v1/deals/{id}'),
    route('GET', '/v1/deals/search'),
    route('GET', '/files/{proxy+}'),
  ]);

  it('matches a template and URL-decodes the path parameters', () => {
    expect(match('GET', '/v1/deals/a%2Fb%20c')).toMatchObject({
      kind: 'found',
      route: { path: '/v1/deals/{id}' },
      pathParameters: { id: 'a/b c' },
    });
  });

  it('prefers a literal segment over a parameter, and falls back to the parameter for other methods', () => {
    expect(match('GET', '/v1/deals/search')).toMatchObject({
      route: { path: '/v1/deals/search' },
      pathParameters: {},
    });
    expect(match('PATCH', '/v1/deals/search')).toMatchObject({ route: { path: '/v1/deals/{id}' } });
  });

  it('tells an unknown path from a known path with another method', () => {
    expect(match('GET', '/v1/nope')).toEqual({ kind: 'not-found' });
    expect(match('GET', '/v1/deals/')).toEqual({ kind: 'not-found' });
    expect(match('GET', '/v1/deals/a/b')).toEqual({ kind: 'not-found' });
    expect(match('DELETE', '/v1/deals/abc')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'PATCH'] });
  });

  it('lets a greedy parameter take the rest of the path', () => {
    expect(match('GET', '/files/a/b%20c')).toMatchObject({ pathParameters: { proxy: 'a/b c' } });
  });

  it('finds every route of the route table by its own template', () => {
    const router = createRouter(ROUTES);
    for (const entry of ROUTES) {
      const path = entry.path.replace(/\{\w+\}/g, 'x1');
      expect(router(entry.method, path)).toMatchObject({ kind: 'found', route: entry });
    }
  });
});

describe('buildApiEvent', () => {
  it('writes the route key, raw path and request context as API Gateway does', () => {
    const built = event();
    expect(built).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/deals/{id}',
      rawPath: '/v1/deals/abc',
      rawQueryString: '',
      pathParameters: { id: 'abc' },
      isBase64Encoded: false,
      requestContext: {
        routeKey: 'GET /v1/deals/{id}',
        requestId: 'req-1',
        stage: '$default',
        domainName: 'localhost',
        time: '12/Mar/2026:19:03:58 +0000',
        timeEpoch: Date.parse('2026-03-12T19:03:58.123Z'),
        http: {
          method: 'GET',
          path: '/v1/deals/abc',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/8',
        },
      },
    });
    expect(built).not.toHaveProperty('queryStringParameters');
    expect(built).not.toHaveProperty('body');
    expect(built).not.toHaveProperty('cookies');
    expect(built.requestContext).not.toHaveProperty('authorizer');
  });

  it('joins repeated query keys with commas and decodes them', () => {
    expect(queryStringParameters('status=won&status=lost&q=a%20b+c&empty=')).toEqual({
      status: 'won,lost',
      q: 'a b c',
      empty: '',
    });
    const built = event({ rawQueryString: 'view=inbound&status=a&status=b' });
    expect(built.rawQueryString).toBe('view=inbound&status=a&status=b');
    expect(built.queryStringParameters).toEqual({ view: 'inbound', status: 'a,b' });
  });

  it('makes every query key an own property, __proto__ and constructor included, as JSON.parse would', () => {
    const query = queryStringParameters('__proto__=x&constructor=y&limit=1');
    expect(Object.keys(query ?? {})).toEqual(['__proto__', 'constructor', 'limit']);
    expect(query).toEqual(JSON.parse('{"__proto__":"x","constructor":"y","limit":"1"}'));
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
  });

  it('lower-cases headers, joins repeated ones and moves cookies out of the headers', () => {
    const built = event({
      headers: {
        Host: 'localhost:3000',
        'X-Custom': ['a', 'b'],
        Cookie: ['s=1; t=2', 'u=3'],
        'If-Match': '"3"',
      },
    });
    expect(built.headers).toMatchObject({ host: 'localhost:3000', 'x-custom': 'a,b', 'if-match': '"3"' });
    expect(built.headers).not.toHaveProperty('cookie');
    expect(built.cookies).toEqual(['s=1', 't=2', 'u=3']);
    expect(built.headers['x-forwarded-port']).toBe('3000');
  });

  it('passes a JSON body as text and a binary body as base64', () => {
    const json = event({ headers: { 'content-type': 'application/json' }, body: Buffer.from('{"a":1}') });
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const binary = event({
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from([0, 1, 2]),
    });
    expect(binary).toMatchObject({ body: 'AAEC', isBase64Encoded: true });
  });

  it('hands the verified claims to the function as strings under authorizer.lambda', () => {
    const built = event({ claims: { sub: 'u1', email: 'u@x.example', exp: 1700000000, aud: ['a', 'b'] } });
    expect(built.requestContext.authorizer).toEqual({
      lambda: { sub: 'u1', email: 'u@x.example', exp: '1700000000', aud: '[a b]' },
    });
    expect(authorizerClaims({ admin: true, nested: { a: 1 } })).toEqual({ admin: 'true', nested: '{"a":1}' });
  });

  it('formats the request time in the gateway format', () => {
    expect(requestTime(new Date('2026-01-05T04:03:02Z'))).toBe('05/Jan/2026:04:03:02 +0000');
  });
});

describe('toGatewayResponse', () => {
  it('writes a structured result as is, with cookies and base64 bodies', () => {
    const response = toGatewayResponse({
      statusCode: 201,
      headers: { Location: '/v1/deals/1', 'X-Count': 3 },
      cookies: ['a=1'],
      body: Buffer.from('hi').toString('base64'),
      isBase64Encoded: true,
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers).toEqual({ location: '/v1/deals/1', 'x-count': '3', 'set-cookie': ['a=1'] });
    expect(response.body.toString()).toBe('hi');
  });

  it('treats a string or an object without statusCode as a 200 JSON answer', () => {
    const text = toGatewayResponse('hello');
    expect(text).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(text.body.toString()).toBe('hello');
    const object = toGatewayResponse({ message: 'hi' });
    expect(object.statusCode).toBe(200);
    expect(JSON.parse(object.body.toString())).toEqual({ message: 'hi' });
  });
});
