/**
 * What API Gateway (HTTP API, payload format 2.0) does between the client and a Lambda: route
 * matching, the event it builds, and how it turns the function's result into an HTTP response.
 * Pure functions, so the unit tests pin the details that handlers rely on.
 *
 * Known, deliberate differences from the cloud (docs/local.md "How close it is to the cloud"):
 * - a known path with a method it does not serve answers 405 with `Allow` (API Gateway: 404);
 * - there is no CORS preflight handling (no CORS is configured on the cloud API either).
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { randomBytesFromPool } from '#functions/adapters/random-pool.ts';
import type { RouteDefinition } from '#functions/http/routes.ts';

/** Anything routable: the route table's entries, and the local-only /dev routes. */
export type RouteTemplate = { method: string; path: string };

export type RouteMatch<R extends RouteTemplate> =
  | { kind: 'found'; route: R; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

type Segment = { literal: string } | { param: string; greedy: boolean };

const parseTemplate = (path: string): Segment[] =>
  path
    .split('/')
    .slice(1)
    .map((part) => {
      const param = /^\{(\w+)(\+?)\}$/.exec(part);
      return param ? { param: param[1]!, greedy: param[2] === '+' } : { literal: part };
    });

const decode = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/**
 * The path parameters when the path's segments (`rawPath` split once per request) fit the template,
 * else undefined. Parameters are URL-decoded.
 */
const matchTemplate = (segments: Segment[], parts: readonly string[]): Record<string, string> | undefined => {
  if (parts.length < segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if ('literal' in segment) {
      if (parts[index] !== segment.literal) return undefined;
      continue;
    }
    if (segment.greedy) {
      const rest = parts.slice(index).join('/');
      if (rest === '') return undefined;
      params[segment.param] = decode(rest);
      return params;
    }
    const part = parts[index];
    if (part === undefined || part === '') return undefined;
    params[segment.param] = decode(part);
  }
  return parts.length === segments.length ? params : undefined;
};

const literalCount = (segments: Segment[]): number =>
  segments.filter((segment) => 'literal' in segment).length;

/**
 * Finds the route for a request as API Gateway does: the most specific template wins (literal
 * segments beat `{param}`, which beats `{proxy+}`). The templates are ordered by specificity once,
 * and a request's path is split once: the first template that fits with the request's method wins.
 */
export const createRouter = <R extends RouteTemplate>(routes: readonly R[]) => {
  const compiled = routes
    .map((route) => ({ route, segments: parseTemplate(route.path) }))
    .sort((a, b) => literalCount(b.segments) - literalCount(a.segments));
  return (method: string, rawPath: string): RouteMatch<R> => {
    const parts = rawPath.split('/').slice(1);
    const wanted = method.toUpperCase();
    const allow = new Set<string>();
    for (const { route, segments } of compiled) {
      const params = matchTemplate(segments, parts);
      if (!params) continue;
      if (route.method === wanted) return { kind: 'found', route, pathParameters: params };
      allow.add(route.method);
    }
    return allow.size === 0 ? { kind: 'not-found' } : { kind: 'method-not-allowed', allow: [...allow] };
  };
};

/** `routeKey` as API Gateway writes it: method, one space, the path template. */
export const routeKey = (route: RouteTemplate): string => `${route.method} ${route.path}`;

/**
 * Repeated keys are joined with commas; keys and values are URL-decoded (`+` is a space). Every key
 * becomes an own property, as when the Lambda runtime parses the event's JSON: `__proto__` or
 * `constructor` are keys like any other (a strict schema then refuses them as unknown).
 */
export const queryStringParameters = (rawQueryString: string): Record<string, string> | undefined => {
  if (rawQueryString === '') return undefined;
  const result = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    const previous = result.get(key);
    result.set(key, previous === undefined ? value : `${previous},${value}`);
  }
  return result.size === 0 ? undefined : Object.fromEntries(result);
};

/** Bodies of these media types reach the function as text; everything else is base64. */
const isTextual = (contentType: string | undefined): boolean => {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    mediaType.startsWith('text/') ||
    /^application\/(json|xml|javascript|x-www-form-urlencoded|graphql)$/.test(mediaType) ||
    mediaType.endsWith('+json') ||
    mediaType.endsWith('+xml')
  );
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** `requestContext.time` in API Gateway's format, e.g. `25/Nov/2026:15:21:35 +0000`. */
export const requestTime = (at: Date): string =>
  `${pad(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:` +
  `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`;

/** API Gateway request ids look like `VuB4-jJ0oAMEbXw=`. */
export const newRequestId = (): string =>
  randomBytesFromPool(11).toString('base64').replaceAll('+', '-').replaceAll('/', '_');

/**
 * The authorizer hands claims on as strings: numbers and booleans stringified, arrays as
 * `[a b]`, objects as JSON (functions/authorizer/authorize.ts does the same in the cloud).
 */
export const authorizerClaims = (claims: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(claims).map(([key, value]) => {
      if (typeof value === 'string') return [key, value];
      if (Array.isArray(value)) return [key, `[${value.map(String).join(' ')}]`];
      if (value !== null && typeof value === 'object') return [key, JSON.stringify(value)];
      return [key, String(value)];
    }),
  );

export type ApiEventInput = {
  method: string;
  /** The path as sent, without the query string (not decoded). */
  rawPath: string;
  rawQueryString: string;
  /** Header name (any case) → value(s) as received; repeated headers are joined with commas. */
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer;
  route: RouteDefinition;
  pathParameters: Record<string, string>;
  /** The verified token's claims, for `auth: 'jwt'` routes. */
  claims?: Record<string, unknown>;
  sourceIp: string;
  protocol?: string;
  requestId?: string;
  at?: Date;
  accountId?: string;
  apiId?: string;
};

/** The API Gateway HTTP API v2 event, as documented for payload format 2.0. */
export type ApiEventV2 = {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    /** The Lambda authorizer's context: the verified token's claims. */
    authorizer?: { lambda: Record<string, string> };
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
};

export const buildApiEvent = (input: ApiEventInput): ApiEventV2 => {
  const at = input.at ?? new Date();
  const requestId = input.requestId ?? newRequestId();
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [rawName, rawValue] of Object.entries(input.headers)) {
    if (rawValue === undefined) continue;
    const name = rawName.toLowerCase();
    const values = Array.isArray(rawValue) ? rawValue : [rawValue];
    if (name === 'cookie') {
      // Format 2.0 moves cookies out of the headers into `cookies`.
      for (const value of values)
        cookies.push(
          ...value
            .split(';')
            .map((c) => c.trim())
            .filter(Boolean),
        );
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${values.join(',')}` : values.join(',');
  }
  const host = headers.host ?? 'localhost';
  headers['x-forwarded-for'] ??= input.sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= host.includes(':') ? (host.split(':').pop() ?? '80') : '80';
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(at.getTime() / 1000).toString(16)}-${randomBytesFromPool(12).toString('hex')}`;

  const key = routeKey(input.route);
  const query = queryStringParameters(input.rawQueryString);
  const hasParams = Object.keys(input.pathParameters).length > 0;
  const hasBody = input.body !== undefined && input.body.length > 0;
  const textBody = isTextual(headers['content-type']);
  const domainName = host.split(':')[0] ?? 'localhost';

  return {
    version: '2.0',
    routeKey: key,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(hasParams ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: input.accountId ?? '000000000000',
      apiId: input.apiId ?? 'local',
      ...(input.claims ? { authorizer: { lambda: authorizerClaims(input.claims) } } : {}),
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: input.method.toUpperCase(),
        path: input.rawPath,
        protocol: input.protocol ?? 'HTTP/1.1',
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: key,
      stage: '$default',
      time: requestTime(at),
      timeEpoch: at.getTime(),
    },
    ...(hasBody ? { body: input.body!.toString(textBody ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: hasBody && !textBody,
  };
};

/**
 * The event of the HTTP API's Lambda authorizer (REQUEST, payload 2.0) for a bearer token: its one
 * identity source, the `Authorization` header.
 */
export const authorizerEvent = (token: string) => ({
  version: '2.0',
  type: 'REQUEST',
  identitySource: [`Bearer ${token}`],
  headers: { authorization: `Bearer ${token}` },
});

export type GatewayResponse = {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
};

/**
 * Turns whatever the function returned into the HTTP response, by the format 2.0 rules: an object
 * with `statusCode` is a structured response; anything else (a string, an object without
 * `statusCode`) is a 200 `application/json` whose body is the string, or the value as JSON.
 */
export const toGatewayResponse = (result: unknown): GatewayResponse => {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const structured = result as {
      statusCode: number;
      headers?: Record<string, string | number | boolean>;
      cookies?: string[];
      body?: string;
      isBase64Encoded?: boolean;
    };
    const headers: Record<string, string | string[]> = Object.fromEntries(
      Object.entries(structured.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
    );
    if (structured.cookies && structured.cookies.length > 0) headers['set-cookie'] = structured.cookies;
    const body = Buffer.from(structured.body ?? '', structured.isBase64Encoded ? 'base64' : 'utf8');
    return { statusCode: structured.statusCode, headers, body };
  }
  const body = typeof result === 'string' ? result : (JSON.stringify(result) ?? 'null');
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
};

/** A Lambda context like the Node.js runtime's, for one invocation of the route's function. */
export const lambdaContext = (options: {
  functionName: string;
  timeoutMs: number;
  region?: string;
}): Context => {
  const deadline = Date.now() + options.timeoutMs;
  const region = options.region ?? 'us-east-1';
  const awsRequestId = randomUUID();
  const unsupported = () => {
    throw new Error('The callback-style context methods are not supported by this runtime.');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${options.functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytesFromPool(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};
