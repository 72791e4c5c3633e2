/**
 * The DynamoDB stream consumer of the outbox (docs/domain.md §7): publishes each event and sends its
 * emails, idempotently, reporting the first record it could not finish as a batch item failure.
 * A claim lasts as long as this invocation may run, so after a crash or timeout the retry takes over.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { getNotificationDeps } from '../composition/notifications.ts';
import { checkDeclaredEnvironment, NOTIFICATION_FUNCTION } from '../environment.ts';
import { logger } from '../observability.ts';
import { processOutboxBatch } from './outbox-batch.ts';
import { CONSUMERS, parkFor } from './parking.ts';
import { notificationSettings } from './settings.ts';

checkDeclaredEnvironment(NOTIFICATION_FUNCTION);

const DEFAULT_LEASE_MS = 60_000;
const RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export const handler = async (
  event: DynamoDBStreamEvent,
  context?: Context,
): Promise<DynamoDBBatchResponse> =>
  processOutboxBatch(
    getNotificationDeps(),
    event.Records,
    {
      appBaseUrl: notificationSettings().appBaseUrl,
      leaseMs: (context?.getRemainingTimeInMillis() ?? DEFAULT_LEASE_MS) + 1_000,
      retentionMs: RETENTION_MS,
    },
    logger,
    parkFor(CONSUMERS.notifications, logger),
  );
