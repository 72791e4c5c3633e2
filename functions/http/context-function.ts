/**
 * The Lambda handler of one function of the HTTP API (a context's reads or writes): middy's router
 * dispatches each request to its route's own middy pipeline (route.ts), matched by the route
 * table's method and path template, as API Gateway matched it before.
 *
 * The entry module names its route modules in an import each, so esbuild bundles exactly this
 * function's routes; the route table decides which routes those must be, and a mismatch stops the
 * cold start (and the unit test that loads every entry) instead of leaving a route unserved. So
 * does a declared variable missing from the function's environment (functions/environment.ts).
 */
import httpRouterHandler from '@middy/http-router';
import type { Context } from 'aws-lambda';
import { checkDeclaredEnvironment, HTTP_FUNCTION_DEFINITIONS } from '../environment.ts';
import { originRefusal } from './origin-check.ts';
import type { HttpEvent, HttpResponse } from './route-context.ts';
import { HTTP_FUNCTIONS, type HttpContext, type RouteKind } from './routes.ts';

type RouteHandler = (event: HttpEvent, context: Context) => Promise<HttpResponse>;

/** `handlers`: each route module's `handler`, by the route table's `handler` name (e.g. `deals/get`). */
export const contextFunction = (
  context: HttpContext,
  kind: RouteKind,
  handlers: Readonly<Record<string, { handler: unknown }>>,
) => {
  const fn = HTTP_FUNCTIONS.find((candidate) => candidate.context === context && candidate.kind === kind);
  if (!fn) throw new Error(`The route table has no ${kind} routes in ${context}`);
  const expected = new Set(fn.routes.map((route) => route.handler));
  const given = Object.keys(handlers);
  const missing = [...expected].filter((name) => !given.includes(name));
  const extra = given.filter((name) => !expected.has(name));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `${fn.entry} must name exactly the route modules of ${fn.id}: ` +
        `missing ${missing.join(', ') || 'none'}; not its routes ${extra.join(', ') || 'none'}.`,
    );
  }
  const definition = HTTP_FUNCTION_DEFINITIONS.find((candidate) => candidate.id === fn.id);
  if (definition) checkDeclaredEnvironment(definition);
  const router = httpRouterHandler<HttpEvent, HttpResponse>({
    routes: fn.routes.map((route) => ({
      method: route.method,
      path: route.path,
      handler:
        (handlers[route.handler]?.handler as RouteHandler | undefined) ?? missingHandler(route.handler),
    })),
    // API Gateway sends a function only the routes integrated with it.
    notFoundResponse: ({ method, path }) => {
      throw new Error(`${fn.id} serves no route for ${method} ${path}`);
    },
  });
  // Before any route runs: a request that bypassed the distribution reaches no handler.
  return (event: HttpEvent, lambdaContext: Context): Promise<HttpResponse> =>
    Promise.resolve(originRefusal(event) ?? router(event, lambdaContext));
};

const missingHandler = (name: string): never => {
  throw new Error(`functions/http/${name}.ts exports no handler`);
};
