import type { HttpEvent } from './route-context.ts';

/**
 * A request header by name, in any case: API Gateway hands them on lower-cased, but a test or
 * another caller of a handler need not.
 */
export const header = (event: HttpEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === wanted) return value;
  return undefined;
};
