/**
 * The local API Gateway: a plain node:http server that routes by the one route table, rejects
 * requests to `jwt` routes without a valid token (as the JWT authorizer does, before any function
 * runs), builds the same HTTP API v2 event, invokes the route's function (the local runtime passes
 * its worker, infra/local/functions.ts) and writes its result back. It also serves the local-only
 * /dev routes. One log line per request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { HttpError } from '#functions/http/http-error.ts';
import { problemResponse } from '#functions/http/problem.ts';
import { handlerEntry, ROUTES, type RouteDefinition, routeOperationId } from '#functions/http/routes.ts';
import {
  buildApiEvent,
  createRouter,
  type GatewayResponse,
  lambdaContext,
  newRequestId,
  routeKey,
  toGatewayResponse,
} from './api-event.ts';
import type { DevRoute } from './dev-routes.ts';
import { docsPage } from './docs-page.ts';
import type { VerifiedClaims } from './tokens.ts';
import type { HandlerTiming } from './worker/protocol.ts';

/** API Gateway's payload limit; the handlers enforce the API's own 64 KiB limit. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout. */
const INTEGRATION_TIMEOUT_MS = 30_000;

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type GatewayOptions = {
  port: number;
  verifyToken: (token: string) => Promise<VerifiedClaims>;
  routes?: readonly RouteDefinition[];
  devRoutes?: readonly DevRoute[];
  log?: (line: string) => void;
  region?: string;
  /** The route's function: its worker in the local runtime, fakes in the gateway's own tests. */
  resolveHandler: (route: RouteDefinition) => Promise<LambdaHandler>;
  /**
   * How long the handler itself ran for a result and its DynamoDB calls (its worker's measure,
   * functions.ts), for `Server-Timing`; without it the header names the gateway's and the invocation's time.
   */
  handlerTiming?: (result: object) => HandlerTiming | undefined;
  /** The web console's pages and files, asked when no other route matched (infra/local/console.ts). */
  console?: (method: string, rawPath: string) => Promise<GatewayResponse | undefined>;
};

export type Gateway = { url: string; port: number; stop: () => Promise<void> };

/** One invocation's time as the gateway saw it: the whole call, and the handler's own part. */
type InvocationTiming = { invokeMs: number; handler?: HandlerTiming };

/**
 * A local-only `Server-Timing` header (API Gateway sends none), for browser dev tools and the
 * benchmarks' breakdown: `gateway` is the request's time in the gateway minus the invocation
 * (routing, token check, the v2 event), `invoke` the hand-off to the function's worker and back
 * (the invocation minus the handler), `handler` the handler's own time besides its DynamoDB calls,
 * and `dynamodb` those calls (SDK included; `desc` says how many).
 */
const serverTiming = (totalMs: number, { invokeMs, handler }: InvocationTiming): string => {
  const dur = (ms: number) => Math.max(0, ms).toFixed(2);
  return [
    `gateway;dur=${dur(totalMs - invokeMs)}`,
    `invoke;dur=${dur(invokeMs - (handler?.durationMs ?? 0))}`,
    ...(handler
      ? [
          `handler;dur=${dur(handler.durationMs - handler.dynamoMs)}`,
          `dynamodb;dur=${dur(handler.dynamoMs)};desc="${handler.dynamoCalls} calls"`,
        ]
      : []),
  ].join(', ');
};

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Any failure rendered like every other problem of the API (the handlers' renderer). */
const problemBody = (error: unknown, instance: string): GatewayResponse => {
  const { statusCode, headers, body } = problemResponse(error, instance);
  return { statusCode, headers, body: Buffer.from(body) };
};

/** A gateway-level failure. */
const problem = (
  status: HttpError['status'],
  code: string,
  detail: string,
  instance: string,
): GatewayResponse => problemBody(new HttpError(status, code, detail), instance);

/** What the client sees when a function fails: never the cause. */
const serverError = (instance: string): GatewayResponse => problemBody(new Error('hidden'), instance);

const timeout = (instance: string): GatewayResponse =>
  problem(503, 'timeout', 'The function did not answer within 30 seconds.', instance);

class BodyTooLargeError extends Error {}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new BodyTooLargeError());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** The token from `Authorization`, with or without the `Bearer ` prefix (as the authorizer accepts it). */
const bearerToken = (req: IncomingMessage): string | undefined => {
  const value = req.headers.authorization?.trim();
  if (!value) return undefined;
  const token = value.replace(/^Bearer\s+/i, '').trim();
  return token === '' ? undefined : token;
};

const unauthorized = (detail: string, instance: string): GatewayResponse => {
  const response = problem(401, 'unauthenticated', detail, instance);
  response.headers['www-authenticate'] = 'Bearer';
  return response;
};

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<typeof TIMED_OUT>((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout(TIMED_OUT), ms);
    }),
  ]).finally(() => clearTimeout(timer));
};
const TIMED_OUT = Symbol('timed out');

export const startGateway = async (options: GatewayOptions): Promise<Gateway> => {
  const log = options.log ?? ((line: string) => console.log(line));
  const matchApi = createRouter(options.routes ?? ROUTES);
  const matchDev = createRouter(options.devRoutes ?? []);
  const modules = new Map<string, Promise<LambdaHandler>>();
  const resolveHandler = options.resolveHandler;

  const loadHandler = (route: RouteDefinition): Promise<LambdaHandler> => {
    const entry = handlerEntry(route);
    let loaded = modules.get(entry);
    if (!loaded) {
      loaded = resolveHandler(route);
      // A module that failed to load is retried by the next request.
      loaded.catch(() => modules.delete(entry));
      modules.set(entry, loaded);
    }
    return loaded;
  };

  const invokeRoute = async (
    req: IncomingMessage,
    route: RouteDefinition,
    pathParameters: Record<string, string>,
    rawPath: string,
    rawQueryString: string,
    requestId: string,
    note: (text: string) => void,
    timing: (measured: InvocationTiming) => void,
  ): Promise<GatewayResponse> => {
    let claims: VerifiedClaims | undefined;
    if (route.auth === 'jwt') {
      const token = bearerToken(req);
      if (!token) return unauthorized('A bearer token is required.', requestId);
      try {
        claims = await options.verifyToken(token);
      } catch (error) {
        note(`token rejected: ${(error as Error).message}`);
        return unauthorized('The bearer token is invalid or expired.', requestId);
      }
      note(`sub=${claims.sub}`);
    }
    const body = await readBody(req);
    const event = buildApiEvent({
      method: req.method ?? 'GET',
      rawPath: rawPath,
      rawQueryString,
      headers: req.headersDistinct,
      body,
      route,
      pathParameters,
      ...(claims ? { claims } : {}),
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      protocol: `HTTP/${req.httpVersion}`,
      requestId,
    });
    const context = lambdaContext({
      functionName: routeOperationId(route),
      timeoutMs: INTEGRATION_TIMEOUT_MS,
      ...(options.region ? { region: options.region } : {}),
    });
    try {
      const handler = await loadHandler(route);
      const invoked = performance.now();
      const result = await withTimeout(handler(event, context), INTEGRATION_TIMEOUT_MS);
      if (result === TIMED_OUT) return timeout(requestId);
      const own = typeof result === 'object' && result !== null ? options.handlerTiming?.(result) : undefined;
      timing({ invokeMs: performance.now() - invoked, ...(own ? { handler: own } : {}) });
      return toGatewayResponse(result);
    } catch (error) {
      // A Lambda invocation error: API Gateway answers 500 whatever was thrown; the cause goes to the log.
      log(
        `✗ ${routeKey(route)} (${handlerEntry(route)}) failed: ${(error as Error)?.stack ?? String(error)}`,
      );
      return serverError(requestId);
    }
  };

  const invokeDev = async (
    req: IncomingMessage,
    route: DevRoute,
    pathParameters: Record<string, string>,
    requestId: string,
  ): Promise<GatewayResponse> => {
    const raw = await readBody(req);
    let body: unknown;
    if (route.form) {
      body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
    } else if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new HttpError(400, 'malformed-json', 'The body is not valid JSON.');
      }
    }
    const result = await route.handle({ body, params: pathParameters, requestId, headers: req.headers });
    return {
      statusCode: result.status,
      headers: {
        ...(result.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...result.headers,
      },
      body: result.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(result.body)),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = newRequestId();
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const queryIndex = rawUrl.indexOf('?');
    const rawPath = queryIndex === -1 ? rawUrl : rawUrl.slice(0, queryIndex);
    const rawQueryString = queryIndex === -1 ? '' : rawUrl.slice(queryIndex + 1);
    const notes: string[] = [];
    const note = (text: string) => notes.push(text);
    let invocation: InvocationTiming | undefined;

    let response: GatewayResponse;
    try {
      const docs = method === 'GET' ? await docsPage(rawPath) : undefined;
      const dev = matchDev(method, rawPath);
      const api = dev.kind === 'not-found' ? matchApi(method, rawPath) : undefined;
      // The console only where nothing else answers, so it never shadows a route.
      const page = !docs && api?.kind === 'not-found' ? await options.console?.(method, rawPath) : undefined;
      if (docs) {
        response = docs;
      } else if (dev.kind === 'found') {
        note('dev');
        response = await invokeDev(req, dev.route, dev.pathParameters, requestId);
      } else if (api?.kind === 'found') {
        note(`→ ${api.route.handler}`);
        response = await invokeRoute(
          req,
          api.route,
          api.pathParameters,
          rawPath,
          rawQueryString,
          requestId,
          note,
          (measured) => {
            invocation = measured;
          },
        );
      } else if (page) {
        response = page;
      } else {
        const match = api ?? dev;
        if (match.kind === 'method-not-allowed') {
          response = problem(405, 'method-not-allowed', `${method} is not allowed on ${rawPath}.`, requestId);
          response.headers.allow = match.allow.join(', ');
        } else {
          response = problem(404, 'not-found', `No route for ${method} ${rawPath}.`, requestId);
        }
      }
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        response = problem(
          413,
          'body-too-large',
          'The request is over the 10 MB limit of the gateway.',
          requestId,
        );
      } else {
        // Dev routes throw the API's errors (zod, domain, HttpError): rendered the same way.
        response = problemBody(error, requestId);
        if (response.statusCode >= 500)
          log(`✗ ${method} ${rawPath} failed: ${(error as Error)?.stack ?? String(error)}`);
      }
    }

    if (invocation) response.headers['server-timing'] = serverTiming(performance.now() - started, invocation);
    response.headers['apigw-requestid'] = requestId;
    response.headers['content-length'] = String(response.body.length);
    res.writeHead(response.statusCode, response.headers);
    res.end(response.body);
    const ms = Math.round(performance.now() - started);
    log(`${method} ${rawUrl} ${response.statusCode} ${ms}ms ${notes.join(' ')}`.trimEnd());
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`✗ gateway failure: ${(error as Error)?.stack ?? String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
};
