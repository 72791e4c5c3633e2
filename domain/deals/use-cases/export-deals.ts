/**
 * Exporting a deal list as a CSV file (docs/api.md "Export deals as CSV").
 *
 * - `startExport`: any member (or API client) may export what its list shows it; the job is stored,
 *   then handed to the export function, and the request answers at once.
 * - `runExport` (the export function): reads the list as the asker reads it now (its membership
 *   read again, so a member removed meanwhile exports nothing), page by page, and writes each deal as
 *   a row while the next page is read; then records the outcome once, on condition that the job is
 *   still running, so a retried invocation never finishes it twice.
 * - `getExport`: only the asker sees the job (anyone else: not found, as if it did not exist); a
 *   ready job comes with a download URL valid EXPORT_DOWNLOAD_SECONDS.
 */
import type { Deps } from '../../deps.ts';
import type { Actor } from '../../kernel/actor.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import type { PageKey } from '../../kernel/page.ts';
import type { ExportFilter, ExportJob } from '../model.ts';
import type { ExportFileRef } from '../ports.ts';
import { EXPORT_COLUMNS, exportRow } from '../rules/export-rows.ts';
import { checkListRequest, listDeals } from './read-deals.ts';

/** How long an export's job and file are kept (the bucket's lifecycle rule counts whole days). */
export const EXPORT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** How long a download URL of a ready export works. */
export const EXPORT_DOWNLOAD_SECONDS = 5 * 60;

/** The deals read per page: the most one BatchGetItem reads. */
const EXPORT_PAGE_SIZE = 100;

/** The file's name as the browser saves it: the day it was asked for. */
export const exportFileName = (job: Pick<ExportJob, 'createdAt'>): string =>
  `deals-${job.createdAt.slice(0, 10)}.csv`;

export const startExport = async (deps: Deps, actor: Actor, filter: ExportFilter): Promise<ExportJob> => {
  checkListRequest(filter);
  const now = deps.clock.now();
  const job: ExportJob = {
    id: deps.ids.next(),
    orgId: actor.orgId,
    sub: actor.sub,
    filter,
    status: 'running',
    rows: 0,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + EXPORT_RETENTION_MS).toISOString(),
  };
  await deps.exports.create(job);
  try {
    await deps.jobs.runExport(job);
  } catch (error) {
    // Nothing will run it: the asker sees it failed rather than running until it expires.
    await deps.exports.finish({ ...job, status: 'failed', finishedAt: deps.clock.now().toISOString() });
    throw error;
  }
  return job;
};

export type ExportView = {
  job: ExportJob;
  /** Set once ready: where to download the file, and until when that URL works. */
  download?: { url: string; expiresAt: string };
};

export const getExport = async (deps: Deps, actor: Actor, id: string): Promise<ExportView> => {
  const job = await deps.exports.get(actor.orgId, id);
  const now = deps.clock.now();
  // An expired job may outlive its TTL for a while; its file may already be gone.
  if (!job || job.sub !== actor.sub || job.expiresAt <= now.toISOString())
    throw new NotFoundError('The export');
  if (job.status !== 'ready') return { job };
  const url = await deps.exportFiles.downloadUrl(job, {
    fileName: exportFileName(job),
    expiresInSeconds: EXPORT_DOWNLOAD_SECONDS,
  });
  return {
    job,
    download: { url, expiresAt: new Date(now.getTime() + EXPORT_DOWNLOAD_SECONDS * 1000).toISOString() },
  };
};

/** The file's rows as the list reads them: the header, then a row per deal, a page at a time. */
async function* exportRows(deps: Deps, actor: Actor, job: ExportJob, count: { rows: number }) {
  yield [...EXPORT_COLUMNS];
  let after: PageKey | undefined;
  do {
    const page = await listDeals(deps, actor, job.filter, {
      limit: EXPORT_PAGE_SIZE,
      ...(after ? { after } : {}),
    });
    for (const view of page.items) {
      count.rows += 1;
      yield exportRow(view);
    }
    after = page.next;
  } while (after);
}

/**
 * Runs the export `ref` names: `ready` with its row count, or `failed` when the asker is no longer
 * a member of the job's org or the file could not be written. A job that is not running (finished by
 * an earlier attempt, or gone) is left alone.
 */
export const runExport = async (deps: Deps, ref: ExportFileRef): Promise<ExportJob | undefined> => {
  const job = await deps.exports.get(ref.orgId, ref.id);
  if (job?.status !== 'running') return job;
  const actor = await deps.memberships.getActor(job.sub);
  const count = { rows: 0 };
  let status: ExportJob['status'] = 'failed';
  if (actor && actor.orgId === job.orgId) {
    await deps.exportFiles.write(job, exportRows(deps, actor, job, count));
    status = 'ready';
  }
  const finished: ExportJob = {
    ...job,
    status,
    rows: count.rows,
    finishedAt: deps.clock.now().toISOString(),
  };
  return (await deps.exports.finish(finished)) === 'written' ? finished : deps.exports.get(ref.orgId, ref.id);
};

/** Records that an export could not run at all (its function gave up on it). */
export const failExport = async (deps: Deps, ref: ExportFileRef): Promise<void> => {
  const job = await deps.exports.get(ref.orgId, ref.id);
  if (job?.status !== 'running') return;
  await deps.exports.finish({ ...job, status: 'failed', finishedAt: deps.clock.now().toISOString() });
};

/** Any member or API client may export: the file holds only what its list shows it. */
export const authorizeExport = (_actor: Actor): void => {};
