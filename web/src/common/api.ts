/**
 * The one way to the API: every call goes through the typed client (paths, bodies and answers typed
 * from the API's OpenAPI document) and is unwrapped here, so a problem+json answer becomes an
 * `ApiProblem`, whose `errors[].path` lets a form put each message next to the field it names.
 * Each feature declares its own query keys and queries beside its components (`<feature>/queries.ts`).
 */
import { type BodyName, createCoSellClient, type Schemas, validateBody } from '@co-sell/client';
import { QueryClient } from '@tanstack/react-query';
import { currentToken, signInPath, signOut } from '../session/auth.ts';
import { navigate } from './router.tsx';

export type Problem = Schemas['Problem'];

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  /** The messages of the fields at or under `path` (`value` matches `value.amount`). */
  fieldErrors(path: string): string[] {
    return (this.problem.errors ?? [])
      .filter((error) => error.path === path || error.path.startsWith(`${path}.`))
      .map((error) => error.message);
  }
}

/**
 * What is wrong with a body before it is sent, checked against the API's own schema of it in the
 * API's own sentences (the typed client's `validateBody`), as a problem shaped like the API's answer
 * so each message sits at its field; null when the body passes. `only` checks one step of a form.
 */
export const checkBody = (name: BodyName, body: unknown, only?: readonly string[]): ApiProblem | null => {
  const errors = validateBody(name, body, only);
  return errors.length === 0
    ? null
    : new ApiProblem({
        type: 'about:blank',
        title: 'Check the fields',
        status: 400,
        detail: 'Some fields need another look.',
        instance: '',
        code: 'validation',
        errors,
      });
};

export const api = createCoSellClient({
  baseUrl: window.location.origin,
  token: () => currentToken() ?? '',
});

/** The result of a typed call, or the problem it answered with (thrown, so queries and mutations see it). */
export const unwrap = async <T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; response: Response }> => {
  const { data, error, response } = await call;
  if (response.status === 401) {
    // An expired or missing token: back to sign-in, then back here.
    signOut();
    navigate(signInPath(window.location.pathname + window.location.search), { replace: true });
  }
  if (error !== undefined || !response.ok) {
    const problem = (error ?? {}) as Partial<Problem>;
    throw new ApiProblem({
      type: problem.type ?? 'about:blank',
      title: problem.title ?? response.statusText,
      status: problem.status ?? response.status,
      detail: problem.detail ?? `The request failed (${response.status}).`,
      instance: problem.instance ?? '',
      code: problem.code ?? 'unknown',
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
  }
  return { data: data as T, response };
};

/** The answer's body alone, for the many calls whose headers do not matter. */
export const dataOf = async <T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> => (await unwrap(call)).data;

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A 4xx will not change by asking again; a network error or a 5xx might.
      retry: (count, error) => count < 2 && !(error instanceof ApiProblem && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});
