/**
 * The outbox stream's second consumer (docs/domain.md §7): turns each outbox event into pending
 * webhook deliveries (domain/webhooks/dispatch.ts `fanOut`, which passes over member events); the
 * delivery function sends them. It
 * has its own event source mapping, so a failure here retries only this consumer's batches and never
 * holds back the notification emails (nor they it). Replays add nothing twice. An event it cannot
 * fan out is parked (functions/stream/parking.ts) for `npm run ops -- redrive`.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { fanOut } from '#domain/webhooks/dispatch.ts';
import { webhookFanOutDeps } from '../composition/webhooks.ts';
import { checkDeclaredEnvironment, WEBHOOK_FAN_OUT_FUNCTION } from '../environment.ts';
import { logger } from '../observability.ts';
import { outboxEvent } from './outbox-batch.ts';
import { CONSUMERS, parkFor } from './parking.ts';

checkDeclaredEnvironment(WEBHOOK_FAN_OUT_FUNCTION);

const park = parkFor(CONSUMERS.webhookFanOut, logger);

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const deps = webhookFanOutDeps();
  for (const record of event.Records) {
    const outbox = outboxEvent(record);
    if (!outbox) continue;
    try {
      const deliveries = await fanOut(deps, outbox);
      if (deliveries > 0) logger.info('Webhook deliveries queued', { eventId: outbox.id, deliveries });
    } catch (error) {
      logger.error('Webhook fan-out failed; it will be retried', {
        eventId: outbox.id,
        eventType: outbox.type,
        error: (error as Error).message,
      });
      await park(outbox.id, (error as Error).message);
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
};
