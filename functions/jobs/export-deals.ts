import middy from '@middy/core';
import { z } from 'zod';
import { failExport, runExport } from '#domain/deals/use-cases/export-deals.ts';
import { getDeps } from '../composition/deps.ts';
import { logger } from '../observability.ts';

/** What the export route hands over (functions/adapters/lambda/background-jobs.ts): the job's key. */
export const ExportInvocation = z.strictObject({ orgId: z.string().min(1), id: z.string().min(1) });

/**
 * Invoked asynchronously by `POST /v1/deals/exports` (locally by the runtime's Lambda stand-in), one
 * job per invocation (docs/decisions/0190-exports-run-in-their-own-function.md). A failure marks the
 * job failed, so the asker learns of it at once instead of after Lambda's retries; a retried
 * invocation of a finished job does nothing.
 */
export const handler = middy().handler(async (event: unknown) => {
  const ref = ExportInvocation.parse(event);
  const deps = getDeps();
  try {
    const job = await runExport(deps, ref);
    logger.info('export finished', { exportId: ref.id, status: job?.status, rows: job?.rows });
    return { status: job?.status ?? 'gone', rows: job?.rows ?? 0 };
  } catch (error) {
    logger.error('export failed', { exportId: ref.id, error: error as Error });
    await failExport(deps, ref);
    return { status: 'failed', rows: 0 };
  }
});
