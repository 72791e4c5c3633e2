/**
 * The Mailer port on SES v2 (`SendEmail` with a simple text + HTML message). Locally the endpoint is
 * the SES emulator's; in AWS the SDK's default. The SDK retries throttling and 5xx answers itself;
 * whatever still fails rejects, classified by ses-errors.ts: a permanent refusal as a
 * PermanentDeliveryError (recorded as failed), anything else as it is (the consumer retries the
 * outbox item).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail } from '#domain/ports.ts';
import { classifySesError } from './ses-errors.ts';

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
    this.client = new SESv2Client({
      region: options.region,
      ...(options.endpoint
        ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
  }

  async send(email: OutgoingEmail): Promise<{ messageId?: string }> {
    const { MessageId } = await this.client
      .send(
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
      )
      .catch((error: unknown) => {
        throw classifySesError(error);
      });
    return MessageId ? { messageId: MessageId } : {};
  }
}
