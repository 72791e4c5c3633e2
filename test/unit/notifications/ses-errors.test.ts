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
import { PermanentDeliveryError } from '#domain/notifications/errors.ts';
import { classifySesError } from '#functions/adapters/ses/ses-errors.ts';

const meta = { $metadata: {}, message: 'from SES' };

describe('classifySesError', () => {
  it.each([
    new MessageRejected(meta),
    new MailFromDomainNotVerifiedException(meta),
    new BadRequestException({ ...meta, message: 'Illegal address' }),
  ])('$name is permanent: a PermanentDeliveryError with the SES name', (error) => {
    const classified = classifySesError(error);
    expect(classified).toBeInstanceOf(PermanentDeliveryError);
    expect(classified).toMatchObject({ code: error.name, message: error.message });
  });

  it.each([
    new TooManyRequestsException(meta),
    new LimitExceededException(meta),
    new SendingPausedException(meta),
    new AccountSuspendedException(meta),
    new NotFoundException(meta),
    Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    'not even an error',
  ])('%s is transient: passed on as it is, so the record is retried', (error) => {
    expect(classifySesError(error)).toBe(error);
  });
});
