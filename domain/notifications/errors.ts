/**
 * A send the email provider refused for good: this message to this address can never be accepted
 * (rejected content, an unverified sender domain, an invalid address). The Mailer port rejects with
 * it so the domain can tell such a failure from an outage without knowing the provider: the
 * consumer records the email as failed instead of retrying the outbox item until it reaches the DLQ
 * (and holding back every later record of the shard meanwhile). Any other rejection is transient.
 */
export class PermanentDeliveryError extends Error {
  constructor(
    /** The provider's name for the refusal (e.g. `MessageRejected`), kept on the delivery mark. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}
