/** Reads a route's spec by importing its handler module, as the Lambda would load it (build and test time only). */
import type { RouteDescription } from '../route.ts';
import type { RouteDefinition } from '../routes.ts';

export const loadRouteHandler = async (route: RouteDefinition): Promise<{ route?: RouteDescription }> => {
  const href = new URL(`../${route.handler}.ts`, import.meta.url).href;
  const module = (await import(href)) as { handler?: { route?: RouteDescription } };
  if (!module.handler) throw new Error(`functions/http/${route.handler}.ts exports no handler`);
  return module.handler;
};
