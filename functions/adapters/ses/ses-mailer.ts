/**
 * The Mailer port on SES v2 (`SendEmail` with a simple text + HTML message). Locally the endpoint is
 * the SES emulator's; in AWS the SDK's default. The SDK retries throttling and 5xx answers itself;
 * whatever still fails is classified by ses-errors.ts: a permanent refusal is a `refused` result
 * (recorded as failed), anything else rejects as it is (the consumer retries the outbox item).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail, SendResult } from '#domain/notifications/ports.ts';
import { boundByDeadline, transport } from '../time-budget.ts';
import { refusalOf } from './ses-errors.ts';

export type SesMailerOptions = {
  from: string;
  region: string;
  /** Only set locally: the SES emulator's URL. */
  endpoint?: string;
  /** An SES configuration set (bounce and complaint tracking), when the account has one. */
  configurationSet?: string;
};

export class SesMailer implements Mailer {
  private readonly client: SESv2Client;

  constructor(private readonly options: SesMailerOptions) {
    // SES answers a send in well under a second. Two attempts of 5 s bound one send to ~10 s, so a
    // hung SES cannot hold the notification consumer (60 s, a batch of sends) on one email.
    this.client = boundByDeadline(
      new SESv2Client({
        region: options.region,
        ...transport({ requestTimeoutMs: 5_000, maxAttempts: 2 }),
        ...(options.endpoint
          ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
          : {}),
      }),
    );
  }

  async send(email: OutgoingEmail): Promise<SendResult> {
    try {
      const { MessageId } = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.from,
          Destination: { ToAddresses: [email.to] },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: email.text, Charset: 'UTF-8' },
                Html: { Data: email.html, Charset: 'UTF-8' },
              },
            },
          },
          ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
        }),
      );
      return { outcome: 'sent', ...(MessageId ? { messageId: MessageId } : {}) };
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal) return refusal;
      throw error;
    }
  }
}
