/**
 * Benchmark 5: throughput of a mixed read/write workload through the local gateway (autocannon)
 * against the same mix issued raw with the SDK as the *minimal* DynamoDB requests of each operation
 * (endpoints.ts: one BatchGetItem per read, the list's Query and marks, one read before each
 * write), with the same concurrency, against the same DynamoDB Local.
 *
 * The mix, per 10 requests: 6 × GET a deal, 2 × list a page of 25, 1 × create, 1 × mark a favorite.
 */
import autocannon from 'autocannon';
import { DEMO } from '#infra/local/demo-data.ts';
import {
  batchRead,
  createReadKeys,
  type Demo,
  dealBody,
  dealReadKeys,
  readOnly,
  readThenWrite,
} from './endpoints.ts';
import { type BenchRuntime, expectStatus } from './lib/local.ts';
import { type Recording, rawDocumentClient, record, replay } from './lib/replay.ts';
import { progress } from './lib/stats.ts';

export type ThroughputResult = {
  connections: number;
  seconds: number;
  gateway: {
    requests: number;
    perSecond: number;
    errors: number;
    non2xx: number;
    latencyP50: number;
    latencyP99: number;
  };
  raw: { requests: number; perSecond: number; errors: number };
};

const ULID = /[0-9A-HJKMNP-TV-Z]{26}/g;
let idCounter = 0;

/** A create replays with fresh ids each time, as every create through the API writes new items. */
const withFreshIds = (recording: Recording): Recording => {
  const fresh = new Map<string, string>();
  const next = () => `BENCH${(idCounter++).toString(36).toUpperCase().padStart(21, '0')}`;
  return {
    ...recording,
    calls: recording.calls.map((call) =>
      call.command === 'TransactWriteItemsCommand'
        ? {
            ...call,
            input: JSON.parse(
              JSON.stringify(call.input).replace(ULID, (id) => {
                let to = fresh.get(id);
                if (!to) {
                  to = next();
                  fresh.set(id, to);
                }
                return to;
              }),
            ),
          }
        : call,
    ),
  };
};

export const benchThroughput = async (
  bench: BenchRuntime,
  demo: Demo,
  options: { connections: number; seconds: number },
): Promise<ThroughputResult> => {
  const raw = rawDocumentClient(bench.runtime.dynamoEndpoint);
  const fabrikam = await bench.as(DEMO.fabrikam.admin.sub);
  const token = await bench.runtime.tokens.issue({ sub: DEMO.fabrikam.admin.sub });
  const created = expectStatus(await fabrikam('POST', '/v1/deals', dealBody(demo)), 201, 'create').body as {
    id: string;
  };

  const requests = {
    get: { method: 'GET' as const, path: `/v1/deals/${created.id}` },
    list: { method: 'GET' as const, path: '/v1/deals?view=outbound&limit=25' },
    create: { method: 'POST' as const, path: '/v1/deals', body: JSON.stringify(dealBody(demo)) },
    favorite: { method: 'PUT' as const, path: `/v1/deals/${created.id}/favorite` },
  };
  const mix: (keyof typeof requests)[] = [
    'get',
    'get',
    'list',
    'get',
    'create',
    'get',
    'get',
    'list',
    'favorite',
    'get',
  ];

  // What each request of the mix sends to DynamoDB, and the minimal requests of its operation.
  const table = bench.runtime.tableName;
  const sub = DEMO.fabrikam.admin.sub;
  const recordings = new Map<keyof typeof requests, Recording>();
  for (const [name, request] of Object.entries(requests) as [
    keyof typeof requests,
    (typeof requests)['get'],
  ][]) {
    const recorded = await record(raw, async () => {
      await fabrikam(
        request.method,
        request.path,
        'body' in request ? JSON.parse(request.body as string) : undefined,
      );
    });
    const dealRead = batchRead(table, dealReadKeys(sub, created.id));
    const floors: Record<keyof typeof requests, () => Recording> = {
      get: () => readOnly([dealRead]),
      // The list's own calls are already its floor when they are one Query and one BatchGetItem.
      list: () => readOnly(recorded.calls.filter((call) => call.command !== 'GetItemCommand')),
      create: () => readThenWrite(recorded, batchRead(table, createReadKeys(sub, demo.customerId))),
      favorite: () => readThenWrite(recorded, dealRead),
    };
    recordings.set(name, floors[name]());
  }

  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const gateway = await autocannon({
    url: bench.runtime.url,
    connections: options.connections,
    duration: options.seconds,
    requests: mix.map((name) => ({ ...requests[name], headers })),
  });
  progress(
    `gateway: ${gateway.requests.total} requests, ${gateway.requests.average} req/s, non-2xx ${gateway.non2xx}, errors ${gateway.errors}`,
  );

  let rawRequests = 0;
  let rawErrors = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const worker = async () => {
    for (let i = 0; performance.now() < deadline; i = (i + 1) % mix.length) {
      const name = mix[i]!;
      const recording = recordings.get(name)!;
      try {
        await replay(raw, name === 'create' ? withFreshIds(recording) : recording);
        rawRequests += 1;
      } catch {
        rawErrors += 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  progress(
    `raw: ${rawRequests} request-equivalents, ${(rawRequests / elapsed).toFixed(1)} /s, errors ${rawErrors}`,
  );
  raw.destroy();

  return {
    connections: options.connections,
    seconds: options.seconds,
    gateway: {
      requests: gateway.requests.total,
      perSecond: gateway.requests.total / gateway.duration,
      errors: gateway.errors,
      non2xx: gateway.non2xx,
      latencyP50: gateway.latency.p50,
      latencyP99: gateway.latency.p99,
    },
    raw: { requests: rawRequests, perSecond: rawRequests / elapsed, errors: rawErrors },
  };
};
