/**
 * `node --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/profile-gateway.ts [requests]`: drives
 * GET /v1/deals/{id} through the local gateway one request at a time, so a CPU profile of the
 * gateway's process (the main thread: HTTP server, JWT check, event mapping) and of the route's
 * worker thread shows where the per-request time goes. Prints the requests' median; the profiles go
 * to `<dir>` (one file per thread). docs/benchmarks.md "Where the gateway's time goes" reads them.
 */
import { DEMO } from '#infra/local/demo-data.ts';
import { dealBody, readDemo } from './endpoints.ts';
import { expectStatus, startBenchRuntime } from './lib/local.ts';
import { summarize } from './lib/stats.ts';

const requests = Number(process.argv[2] ?? 2000);
const bench = await startBenchRuntime();
try {
  const demo = await readDemo(bench);
  const fabrikam = await bench.as(DEMO.fabrikam.admin.sub);
  const { id } = expectStatus(await fabrikam('POST', '/v1/deals', dealBody(demo)), 201, 'create').body as {
    id: string;
  };
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    times.push(expectStatus(await fabrikam('GET', `/v1/deals/${id}`), 200, 'get').ms);
  }
  const summary = summarize(times.slice(Math.floor(requests / 5)));
  console.log(`GET /v1/deals/{id}: median ${summary.median.toFixed(2)} ms, p99 ${summary.p99.toFixed(2)} ms`);
} finally {
  await bench.runtime.stop();
}
