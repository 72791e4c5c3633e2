import type { ExportJob } from '#domain/deals/model.ts';
import type { BackgroundJobs, ExportFileRef, ExportFileStore, ExportJobStore } from '#domain/deals/ports.ts';

const keyOf = (ref: ExportFileRef) => `${ref.orgId}/${ref.id}`;

export class MemoryExportStore implements ExportJobStore {
  readonly jobs = new Map<string, ExportJob>();

  async create(job: ExportJob): Promise<void> {
    if (this.jobs.has(keyOf(job))) throw new Error(`Export ${job.id} exists`);
    this.jobs.set(keyOf(job), structuredClone(job));
  }

  async get(orgId: string, id: string): Promise<ExportJob | undefined> {
    const job = this.jobs.get(keyOf({ orgId, id }));
    return job ? structuredClone(job) : undefined;
  }

  async finish(job: ExportJob): Promise<'written' | 'stale'> {
    if (this.jobs.get(keyOf(job))?.status !== 'running') return 'stale';
    this.jobs.set(keyOf(job), structuredClone(job));
    return 'written';
  }
}

/** The files as their rows (the header first); `failWith` makes the next write fail. */
export class MemoryExportFiles implements ExportFileStore {
  readonly files = new Map<string, string[][]>();
  failWith: Error | undefined;

  async write(file: ExportFileRef, rows: AsyncIterable<readonly string[]>): Promise<void> {
    const written: string[][] = [];
    for await (const row of rows) {
      if (this.failWith) throw this.failWith;
      written.push([...row]);
    }
    this.files.set(keyOf(file), written);
  }

  async downloadUrl(file: ExportFileRef, download: { fileName: string; expiresInSeconds: number }) {
    return `memory://exports/${keyOf(file)}?name=${download.fileName}&expires=${download.expiresInSeconds}`;
  }
}

/** Records the jobs handed over; a test runs them itself. */
export class MemoryBackgroundJobs implements BackgroundJobs {
  readonly exports: ExportFileRef[] = [];

  async runExport(job: ExportFileRef): Promise<void> {
    this.exports.push({ orgId: job.orgId, id: job.id });
  }
}
