/**
 * The one mapping from failures to RFC 9457 problem details, and the one rendering of them as an
 * HTTP answer (`problemResponse`): the handlers' `problemDetails` middleware, `/health` and the local
 * gateway all answer through it. Nothing below 500 hides its message; nothing at 500 shows one (no
 * stack, no SDK text).
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ZodError, type z } from 'zod';
import {
  ConflictError,
  DomainError,
  type DomainErrorKind,
  type FieldError,
  RateLimitedError,
  ValidationError,
} from '#domain/kernel/errors.ts';
import { type BrokenRule, sentence } from '../../client/messages.ts';
import { HttpError } from './http-error.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://co-sell.example/problems/';

const STATUS_BY_KIND: Readonly<Record<DomainErrorKind, number>> = {
  unauthenticated: 401,
  validation: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  'business-rule': 422,
  'rate-limited': 429,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: FieldError[];
  /** Extension members (RFC 9457 §3.2) that help resolve a conflict, e.g. `existingCustomerId`. */
  [extension: string]: unknown;
};

const joinPath = (parts: readonly unknown[]): string =>
  parts
    .filter((part) => part !== undefined && part !== '')
    .map(String)
    .join('.');

const LIMITED = { string: ['minLength', 'maxLength'], array: ['minItems', 'maxItems'] } as const;

/** The rule a zod issue says was broken, as the client's sentences name it. */
const brokenRule = (issue: z.core.$ZodRawIssue): BrokenRule => {
  const path = joinPath(issue.path ?? []);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? { rule: 'required', path }
        : { rule: 'type', path, expected: String(issue.expected) };
    case 'too_small':
    case 'too_big': {
      const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const origin = issue.origin as string;
      const [min, max] =
        origin === 'string' || origin === 'array' ? LIMITED[origin] : (['minimum', 'maximum'] as const);
      return { rule: issue.code === 'too_small' ? min : max, path, limit };
    }
    case 'invalid_format':
      return { rule: 'format', path, format: issue.format };
    case 'invalid_value':
      return { rule: 'enum', path, values: issue.values };
    default:
      return { rule: 'unknown', path };
  }
};

/**
 * The message of an issue whose schema names none: a sentence a person reads (`Enter the deal's
 * estimated value.`) instead of the schema library's wording. Passed to every parse of a request.
 */
export const issueSentence = (issue: z.core.$ZodRawIssue): string => sentence(brokenRule(issue));

/** One entry per offending field; an unknown key is named by its own path, so clients see which one. */
export const zodFieldErrors = (error: ZodError, prefix?: string): FieldError[] =>
  error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: joinPath([prefix, ...issue.path, key]), message: 'Unknown field.' }))
      : [{ path: joinPath([prefix, ...issue.path]), message: issue.message }],
  );

const problem = (
  status: number,
  code: string,
  detail: string,
  instance: string,
  errors?: FieldError[],
): Problem => ({
  type: `${PROBLEM_TYPE_BASE}${code}`,
  title: TITLES[status] ?? 'Error',
  status,
  detail,
  instance,
  code,
  ...(errors ? { errors } : {}),
});

/** Classifies any thrown value; anything not known here is a 500 that shows nothing of its cause. */
export const toProblem = (error: unknown, instance: string): Problem => {
  if (error instanceof ValidationError)
    return problem(400, 'validation', error.message, instance, error.errors);
  if (error instanceof ConflictError)
    return { ...error.details, ...problem(STATUS_BY_KIND.conflict, error.code, error.message, instance) };
  if (error instanceof DomainError)
    return problem(STATUS_BY_KIND[error.kind], error.code, error.message, instance);
  if (error instanceof HttpError)
    return problem(error.status, error.code, error.message, instance, error.errors);
  if (error instanceof ZodError) {
    return problem(400, 'validation', 'The request is not valid.', instance, zodFieldErrors(error));
  }
  return problem(
    500,
    'internal',
    'Something went wrong on our side. Retry later; the request id identifies it.',
    instance,
  );
};

/** Headers a failure carries besides its body: `Retry-After` when trying again later can succeed. */
const problemHeaders = (error: unknown): Record<string, string> =>
  (error instanceof ConflictError || error instanceof RateLimitedError) &&
  error.retryAfterSeconds !== undefined
    ? { 'retry-after': String(error.retryAfterSeconds) }
    : {};

/** Any failure as the HTTP answer a client gets: status, problem+json body and its headers. */
export const problemResponse = (
  error: unknown,
  instance: string,
): APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
} => {
  const body = toProblem(error, instance);
  return {
    statusCode: body.status,
    headers: { ...problemHeaders(error), 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(body),
  };
};
