import {
  AccountSuspendedException,
  BadRequestException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { refusalOf } from '#functions/adapters/ses/ses-errors.ts';

const meta = { $metadata: {}, message: 'from SES' };

describe('refusalOf', () => {
  it.each([
    new MessageRejected(meta),
    new MailFromDomainNotVerifiedException(meta),
    new BadRequestException({ ...meta, message: 'Illegal address' }),
  ])('$name is permanent: a refusal with the SES name', (error) => {
    expect(refusalOf(error)).toEqual({ outcome: 'refused', code: error.name, reason: error.message });
  });

  it.each([
    new TooManyRequestsException(meta),
    new LimitExceededException(meta),
    new SendingPausedException(meta),
    new AccountSuspendedException(meta),
    new NotFoundException(meta),
    Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    'not even an error',
  ])('%s is transient: no refusal, so the error is rethrown and the record retried', (error) => {
    expect(refusalOf(error)).toBeUndefined();
  });
});
