import middy from '@middy/core';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import { getDeps } from '../composition.ts';
import { logger, recordExpiries } from '../observability.ts';

/**
 * Invoked by the EventBridge schedule every 5 minutes (and locally by a timer and
 * `POST /dev/jobs/expire-invitations`). A failure throws, so the schedule's retry policy and the
 * error alarm see it; a partial run is safe to repeat.
 */
export const handler = middy().handler(async () => {
  const run = await expireInvitations(getDeps());
  recordExpiries(run.expired);
  logger.info('expiry job finished', { ...run });
  return run;
});
