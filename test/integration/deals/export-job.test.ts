import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { startExport } from '#domain/deals/use-cases/export-deals.ts';
import type { Deps } from '#domain/deps.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { exportKeys } from '#functions/adapters/dynamo/keys.ts';
import { epochSeconds, TTL_ATTRIBUTE } from '#functions/adapters/dynamo/table.ts';
import { getDeps, overrideDeps } from '#functions/composition/deps.ts';
import { handler } from '#functions/jobs/export-deals.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { MemoryBackgroundJobs, MemoryExportFiles } from '#test/support/memory/exports.ts';

let w: World & { tableName: string };
let deps: Deps;
const files = new MemoryExportFiles();
const jobs = new MemoryBackgroundJobs();
beforeAll(async () => {
  w = await apiWorld();
  // The bucket and Lambda are other systems: their adapters run in the e2e tier.
  overrideDeps({ exportFiles: files, jobs });
  deps = getDeps();
});

const run = ({ orgId, id }: { orgId: string; id: string }) => handler({ orgId, id }, {} as Context);

describe('the export job on DynamoDB Local', () => {
  it('pages the whole list into the file, expires with its TTL, and finishes once', async () => {
    for (let index = 0; index < 130; index++) await w.create(w.partner, { campaignId: 'export-int' });
    await w.create(w.partner);
    const job = await startExport(deps, w.partner, { campaignId: 'export-int' });
    expect(jobs.exports).toContainEqual({ orgId: job.orgId, id: job.id });

    const db = createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT });
    const { Item } = await db.send(
      new GetCommand({ TableName: w.tableName, Key: exportKeys.item(job.orgId, job.id) }),
    );
    expect(Item).toMatchObject({ type: 'ExportJob', status: 'running', sub: w.partner.sub });
    expect(Item?.[TTL_ATTRIBUTE]).toBe(epochSeconds(job.expiresAt));
    db.destroy();

    expect(await run(job)).toEqual({ status: 'ready', rows: 130 });
    expect(files.files.get(`${job.orgId}/${job.id}`)).toHaveLength(131);
    // A retried invocation finds it finished: nothing is written again.
    expect(await run(job)).toEqual({ status: 'ready', rows: 130 });
    expect(await deps.exports.finish({ ...job, status: 'failed' })).toBe('stale');
    expect(await deps.exports.get(job.orgId, job.id)).toMatchObject({ status: 'ready', rows: 130 });
  });

  it('marks the job failed when its file cannot be written', async () => {
    const job = await startExport(deps, w.partner, {});
    files.failWith = new Error('bucket unavailable');
    try {
      expect(await run(job)).toEqual({ status: 'failed', rows: 0 });
    } finally {
      files.failWith = undefined;
    }
    expect(await deps.exports.get(job.orgId, job.id)).toMatchObject({ status: 'failed' });
  });
});
