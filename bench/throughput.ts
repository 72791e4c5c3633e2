/**
 * Benchmark 5: throughput of a mixed read/write workload through the local gateway (autocannon)
 * against the same mix issued raw with the SDK as the *minimal* DynamoDB requests of each operation
 * (endpoints.ts: one BatchGetItem per read, the list's Query and marks, one read before each
 * write), with the same concurrency, against the same DynamoDB Local.
 *
 * The mix, per 10 requests: 6 × GET a deal, 2 × list a page of 25, 1 × create, 1 × mark a favorite.
 */
import autocannon from 'autocannon';
import { isConditionFailure, isLostRace } from '#functions/adapters/dynamo/errors.ts';
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
  /** `retries`: transactions tried again after losing to a concurrent one (not counted as requests). */
  raw: { requests: number; perSecond: number; retries: number; errors: number };
};

const ULID = /[0-9A-HJKMNP-TV-Z]{26}/g;
let idCounter = 0;

type TransactInput = { TransactItems?: { Put?: { Item?: { pk?: unknown; sk?: unknown } } }[] };

/** The ids of the items a transaction creates: the ULIDs in the keys of its Puts. */
const createdIds = (input: TransactInput): Set<string> =>
  new Set(
    (input.TransactItems ?? []).flatMap(({ Put }) =>
      [Put?.Item?.pk, Put?.Item?.sk].flatMap((key) =>
        typeof key === 'string' ? (key.match(ULID) ?? []) : [],
      ),
    ),
  );

/**
 * A create replays with fresh ids each time, as every create through the API writes new items. Only
 * the ids of the items it creates change: the org, customer and solution ids it names (and the
 * caller's binding it checks) stay as recorded.
 */
const withFreshIds = (recording: Recording): Recording => {
  const fresh = new Map<string, string>();
  const next = () => `BENCH${(idCounter++).toString(36).toUpperCase().padStart(21, '0')}`;
  return {
    ...recording,
    calls: recording.calls.map((call) => {
      if (call.command !== 'TransactWriteItemsCommand') return call;
      const created = createdIds(call.input as TransactInput);
      const renamed = JSON.stringify(call.input).replace(ULID, (id) => {
        if (!created.has(id)) return id;
        let to = fresh.get(id);
        if (!to) {
          to = next();
          fresh.set(id, to);
        }
        return to;
      });
      return { ...call, input: JSON.parse(renamed) };
    }),
  };
};

export const benchThroughput = async (
  bench: BenchRuntime,
  demo: Demo,
  options: { connections: number; seconds: number },
): Promise<ThroughputResult> => {
  const raw = rawDocumentClient(bench.runtime.dynamoEndpoint);
  const fabrikam = await bench.as(DEMO.fabrikam.admin.sub);
  const token = await bench.runtime.tokenFor({ sub: DEMO.fabrikam.admin.sub });
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
    const send = () =>
      fabrikam(
        request.method,
        request.path,
        'body' in request ? JSON.parse(request.body as string) : undefined,
      );
    // Warm first (the list then confirms its caller in its own read), as in endpoints.ts.
    await send();
    const recorded = await record(raw, async () => {
      await send();
    });
    const dealRead = batchRead(table, dealReadKeys(sub, created.id));
    const floors: Record<keyof typeof requests, () => Recording> = {
      get: () => readOnly([dealRead]),
      // The list's own calls are its floor: one Query and one BatchGetItem (the marks and the caller).
      list: () => readOnly(recorded.calls),
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
  let rawRetries = 0;
  let rawErrors = 0;
  const deadline = performance.now() + options.seconds * 1000;
  /**
   * One request of the mix, answered as the API answers it: a mark that already exists is the
   * favorite's success (the API's conditional put ignores it), and a transaction cancelled by a
   * concurrent one (every write of one user checks the same binding item) is tried again, as the
   * domain's retry does.
   */
  const rawRequest = async (name: keyof typeof requests, recording: Recording): Promise<void> => {
    for (;;) {
      if (performance.now() > deadline + 5_000) throw new Error('still conflicting after the run');
      try {
        await replay(raw, name === 'create' ? withFreshIds(recording) : recording);
        return;
      } catch (error) {
        if (isConditionFailure(error)) return;
        if (!isLostRace(error)) throw error;
        rawRetries += 1;
      }
    }
  };
  const worker = async () => {
    for (let i = 0; performance.now() < deadline; i = (i + 1) % mix.length) {
      const name = mix[i]!;
      try {
        await rawRequest(name, recordings.get(name)!);
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
    `raw: ${rawRequests} request-equivalents, ${(rawRequests / elapsed).toFixed(1)} /s, retries ${rawRetries}, errors ${rawErrors}`,
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
    raw: { requests: rawRequests, perSecond: rawRequests / elapsed, retries: rawRetries, errors: rawErrors },
  };
};
