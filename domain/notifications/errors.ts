/**
 * A send the email provider refused for good: this message to this address can never be accepted
 * (rejected content, an unverified sender domain, an invalid address). A `refused` send result of
 * the Mailer port becomes this error inside the delivery: the consumer records the email as failed
 * instead of retrying the outbox item until it reaches the DLQ (and holding back every later record
 * of the shard meanwhile). A send that rejects is transient.
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
