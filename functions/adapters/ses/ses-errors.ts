/**
 * The one place that tells SES v2 refusals that can never succeed from failures worth retrying.
 *
 * Permanent, for this message: `MessageRejected` (SES refused the content or the recipient),
 * `MailFromDomainNotVerifiedException` (the sender's MAIL FROM domain is not verified) and
 * `BadRequestException` (the request itself is invalid, e.g. an illegal address). Retrying these
 * only holds the stream back until the record reaches the DLQ, so they become a `refused` send
 * result and the email is recorded as failed.
 *
 * Everything else is transient and rethrown as it is: throttling (`TooManyRequestsException`,
 * `LimitExceededException`), 5xx, network errors, and account-level states an operator fixes
 * (`SendingPausedException`, `AccountSuspendedException`, a missing configuration set), after which
 * the retried record goes out.
 */
import type { SendResult } from '#domain/notifications/ports.ts';

const PERMANENT = new Set(['MessageRejected', 'MailFromDomainNotVerifiedException', 'BadRequestException']);

/** The refusal a permanent SES error means; undefined for a transient one (rethrow it). */
export const refusalOf = (error: unknown): Extract<SendResult, { outcome: 'refused' }> | undefined =>
  error instanceof Error && PERMANENT.has(error.name)
    ? { outcome: 'refused', code: error.name, reason: error.message }
    : undefined;
