/**
 * The one error vocabulary of the domain. Use cases throw these; the HTTP layer maps each `kind`
 * to a status in exactly one place (functions/http/problem.ts). `code` is stable and becomes the
 * problem type, so clients can switch on it.
 */

export type FieldError = { path: string; message: string };

export type DomainErrorKind =
  | 'unauthenticated'
  | 'validation'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'business-rule'
  | 'rate-limited';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that is well-formed but wrong in a way that depends on state (e.g. a close date before today). */
export class ValidationError extends DomainError {
  readonly kind = 'validation';
  constructor(
    readonly errors: FieldError[],
    message = 'The request is not valid.',
  ) {
    super('validation', message);
  }
  static field(path: string, message: string): ValidationError {
    return new ValidationError([{ path, message }]);
  }
}

/** The caller's credential names nobody any more (a revoked API client). */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
}

/** The caller is known but its role or scope does not allow the action. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

/** Absent, or not visible to the caller: both answer the same so ids cannot be probed. */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(what: string) {
    super('not-found', `${what} was not found.`);
  }
}

export type ConflictCode =
  | 'invalid-transition'
  | 'terminal-deal'
  | 'already-participant'
  | 'already-exists'
  | 'concurrent-update'
  | 'membership-changed'
  | 'file-not-ready';

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  declare readonly code: ConflictCode;
  /** What the client needs to resolve the conflict, e.g. the id of the entry that already exists. */
  readonly details: Readonly<Record<string, string>> | undefined;
  /** Set when trying again later can succeed (a race that could not be won now): the Retry-After. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    code: ConflictCode,
    message: string,
    options: { details?: Readonly<Record<string, string>>; retryAfterSeconds?: number } = {},
  ) {
    super(code, message);
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The client's If-Match no longer names the current version. */
export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition-failed';
  constructor(message = 'The resource changed since you read it; fetch it again and retry.') {
    super('precondition-failed', message);
  }
}

/** A business rule refuses an otherwise valid request (assessment rules, eligibility, ...). */
export class BusinessRuleError extends DomainError {
  readonly kind = 'business-rule';
}

/** Too many requests of one kind within a window (invitation flooding): allowed again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  readonly kind = 'rate-limited';
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}
