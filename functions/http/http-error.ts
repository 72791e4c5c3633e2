import type { FieldError } from '#domain/kernel/errors.ts';

/**
 * Failures that only exist at the HTTP edge (no token, wrong content type, body too large, a
 * malformed cursor, a data store or function that does not answer). Domain failures are
 * DomainErrors; both render through problem.ts.
 */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    /** Sent as `Retry-After` when trying again later can succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
