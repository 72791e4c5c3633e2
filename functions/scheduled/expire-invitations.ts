import middy from '@middy/core';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import { sendDueDigests } from '#domain/notifications/digest.ts';
import { getDeps } from '../composition/deps.ts';
import { checkDeclaredEnvironment, EXPIRY_FUNCTION } from '../environment.ts';
import { logger, recordExpiries } from '../observability.ts';

checkDeclaredEnvironment(EXPIRY_FUNCTION);

/**
 * Invoked by the EventBridge schedule every 5 minutes (and locally by a timer and
 * `POST /dev/jobs/expire-invitations`). It also sends the comment digests owed since a throttled
 * comment (docs/domain.md §7): they are due on the same kind of clock, at most one schedule period
 * late. The two sweeps are independent, so one failing does not hold the other back; a failure
 * throws, so the schedule's retry policy and the error alarm see it; a partial run is safe to repeat.
 */
export const handler = middy().handler(async () => {
  const deps = getDeps();
  const [expiry, digests] = await Promise.allSettled([expireInvitations(deps), sendDueDigests(deps)]);
  if (expiry.status === 'fulfilled') recordExpiries(expiry.value.expired);
  const run = {
    ...(expiry.status === 'fulfilled' ? expiry.value : {}),
    ...(digests.status === 'fulfilled' ? { digests: digests.value } : {}),
  };
  logger.info('expiry job finished', { ...run });
  if (expiry.status === 'rejected') throw expiry.reason;
  if (digests.status === 'rejected') throw digests.reason;
  return run;
});
