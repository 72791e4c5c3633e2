/**
 * Turns a DynamoDB stream batch into outbox events and hands each to `deliverEvent`, in stream
 * order. Only INSERTs of `Outbox` items count (the event source's filter already drops the rest;
 * this check keeps the local poller and odd records safe). At the first record that is not fully
 * handled it stops and reports that record's sequence number (an email refused for good counts as
 * handled: it is recorded as failed and never retried): Lambda then retries from there (the
 * records after it would be retried anyway), and everything already done is skipped on the retry.
 * The failed record's event is parked (`park`, functions/stream/parking.ts) so it can be re-driven.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { OutboxEvent } from '#domain/kernel/events.ts';
import { type DeliverySettings, deliverEvent } from '#domain/notifications/deliver.ts';
import type { NotificationDeps } from '#domain/notifications/ports.ts';
import { ENTITY } from '../adapters/dynamo/keys.ts';

export type BatchLog = {
  info: (message: string, details: Record<string, unknown>) => void;
  warn: (message: string, details: Record<string, unknown>) => void;
  error: (message: string, details: Record<string, unknown>) => void;
};

/** The domain event of an outbox insert, or undefined for any other record. */
export const outboxEvent = (record: DynamoDBRecord): OutboxEvent | undefined => {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image || image.type?.S !== ENTITY.outbox) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue> as never) as { event?: OutboxEvent };
  return item.event?.id ? item.event : undefined;
};

export const processOutboxBatch = async (
  deps: NotificationDeps,
  records: readonly DynamoDBRecord[],
  settings: DeliverySettings,
  log: BatchLog,
  park: (eventId: string, error: string) => Promise<void> = async () => undefined,
): Promise<DynamoDBBatchResponse> => {
  for (const record of records) {
    const event = outboxEvent(record);
    if (!event) continue;
    const failed = { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    try {
      const outcome = await deliverEvent(deps, event, settings);
      if (outcome.rejected.length > 0) {
        // Refused for good: recorded on the delivery marks and never retried, so this is the only trace.
        log.warn('Emails refused for good by the provider; recorded as failed, not retried', {
          eventId: event.id,
          eventType: event.type,
          // Codes only: SES's messages can name the address, and addresses are never logged.
          rejected: outcome.rejected.map((failure) => failure.code),
        });
      }
      if (outcome.failed.length > 0) {
        log.warn('Outbox event not fully delivered; it will be retried', {
          eventId: event.id,
          eventType: event.type,
          done: outcome.done.length,
          skipped: outcome.skipped.length,
          failed: outcome.failed.map((failure) => ({
            channel: failure.channel.startsWith('email:') ? 'email' : failure.channel,
            reason: failure.reason,
          })),
        });
        await park(
          event.id,
          outcome.failed
            .map(
              (failure) =>
                `${failure.channel.startsWith('email:') ? 'email' : failure.channel}: ${failure.reason}`,
            )
            .join('; '),
        );
        return failed;
      }
      log.info('Outbox event delivered', {
        eventId: event.id,
        eventType: event.type,
        done: outcome.done.length,
        skipped: outcome.skipped.length,
      });
    } catch (error) {
      log.error('Outbox event failed; it will be retried', {
        eventId: event.id,
        eventType: event.type,
        error: (error as Error).message,
      });
      await park(event.id, (error as Error).message);
      return failed;
    }
  }
  return { batchItemFailures: [] };
};
