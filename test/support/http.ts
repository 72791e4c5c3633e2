/**
 * Calls a route's real Lambda handler (the whole middy pipeline) with an API Gateway HTTP API v2
 * event, as the cloud would after its authorizer passed. For handler integration tests.
 */
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResponse } from '#functions/http/route.ts';

export type InvokeOptions = {
  /** The route key as in the route table, e.g. `GET /v1/deals/{id}`. */
  route: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body text, sent as is (for malformed JSON tests). */
  rawBody?: string;
  /** The verified token's subject; omit for a public route. */
  sub?: string;
  /** Further claims, as API Gateway hands them on (strings), e.g. `email`, `email_verified`. */
  claims?: Record<string, string>;
  /**
   * The invocation's time limit (default 30 s; the route caps it at API Gateway's 30 s). `'none'`
   * invokes the handler as outside Lambda, with no deadline at all: for tests of what concurrent
   * writers leave behind, where DynamoDB Local on a busy machine may take longer than any deadline
   * DynamoDB itself would ever need.
   */
  timeoutMs?: number | 'none';
};

let requestCounter = 0;

export const apiEvent = (options: InvokeOptions): HttpEvent => {
  const [method = 'GET', pathTemplate = '/'] = options.route.split(' ');
  const path = pathTemplate.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? `{${name}}`);
  const query = new URLSearchParams(options.query ?? {}).toString();
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
    ),
  };
  const requestId = `test-${++requestCounter}`;
  return {
    version: '2.0',
    routeKey: options.route,
    rawPath: path,
    rawQueryString: query,
    headers,
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.params ? { pathParameters: options.params } : {}),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId,
      routeKey: options.route,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      ...(options.sub ? { authorizer: { lambda: { ...options.claims, sub: options.sub } } } : {}),
    },
  } as HttpEvent;
};

const lambdaContext = (requestId: string, timeoutMs: number | 'none' = 30_000): Context =>
  ({
    awsRequestId: requestId,
    functionName: 'test',
    callbackWaitsForEmptyEventLoop: false,
    ...(timeoutMs === 'none' ? {} : { getRemainingTimeInMillis: () => timeoutMs }),
  }) as unknown as Context;

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of every shape
export type Invoked = { status: number; headers: Record<string, string>; body: any; requestId: string };

export const invoke = async (
  handler: (event: HttpEvent, context: Context) => Promise<HttpResponse>,
  options: InvokeOptions,
): Promise<Invoked> => {
  const event = apiEvent(options);
  const response = await handler(event, lambdaContext(event.requestContext.requestId, options.timeoutMs));
  return {
    status: response.statusCode ?? 200,
    headers: (response.headers ?? {}) as Record<string, string>,
    body: response.body ? JSON.parse(response.body) : undefined,
    requestId: event.requestContext.requestId,
  };
};

/** What a client sees of a response, apart from the id of its own request: two answers compare equal. */
export const seenByClient = ({ requestId: _requestId, ...response }: Invoked) => ({
  ...response,
  body: { ...response.body, instance: undefined },
});
