/**
 * Benchmark 9: a CSV export of 10,000 deals, end to end on the local runtime: the request, the
 * export function in its own worker (invoked as Lambda invokes it) paging the list and streaming the
 * file to the S3 emulator, until the status route answers `ready`. The target is 30 seconds.
 */

import { createDeal } from '#domain/deals/use-cases/create-deal.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { dynamoDeps } from '#functions/composition/deps.ts';
import { DEMO } from '#infra/local/demo-data.ts';
import { dealBody, readDemo } from './endpoints.ts';
import type { BenchRuntime } from './lib/local.ts';

export const EXPORT_TARGET_SECONDS = 30;

export type ExportResult = {
  deals: number;
  rows: number;
  bytes: number;
  seconds: number;
  seedSeconds: number;
};

/** Creates `count` deals of Fabrikam through the domain (as the API would), `parallel` at a time. */
const seed = async (bench: BenchRuntime, count: number): Promise<void> => {
  const demo = await readDemo(bench);
  const table = {
    db: createDocumentClient({ region: 'us-east-1', endpoint: bench.runtime.dynamoEndpoint }),
    tableName: bench.runtime.tableName,
  };
  const deps = dynamoDeps(table);
  const actor = await deps.memberships.getActor(DEMO.fabrikam.admin.sub);
  if (!actor) throw new Error('The Fabrikam admin is not seeded');
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await createDeal(deps, actor, {
        ...dealBody(demo),
        name: `Export benchmark ${index}`,
        campaignId: 'bench-export',
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  table.db.destroy();
};

export const benchExport = async (bench: BenchRuntime, count: number): Promise<ExportResult> => {
  const seeding = performance.now();
  await seed(bench, count);
  const seedSeconds = (performance.now() - seeding) / 1000;
  const fabrikam = await bench.as(DEMO.fabrikam.admin.sub);
  const started = performance.now();
  const asked = await fabrikam('POST', '/v1/deals/exports', { campaignId: 'bench-export' });
  if (asked.status !== 202) throw new Error(`starting the export answered ${asked.status}`);
  const { id } = asked.body as { id: string };
  for (;;) {
    const status = await fabrikam('GET', `/v1/deals/exports/${id}`);
    const body = status.body as { status: string; rows: number; downloadUrl?: string };
    if (body.status === 'failed') throw new Error('the export failed');
    if (body.status === 'ready') {
      const seconds = (performance.now() - started) / 1000;
      const file = await fetch(body.downloadUrl ?? '');
      const bytes = (await file.arrayBuffer()).byteLength;
      return { deals: count, rows: body.rows, bytes, seconds, seedSeconds };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
