/**
 * Schema-driven fuzzing: at least 5,000 malformed and boundary requests generated from the served
 * OpenAPI document, sent with a valid token to the local runtime (loopback only). Every answer is
 * below 500, every 4xx is problem+json with type/title/status/detail/instance, every defective
 * request is refused, and the table holds exactly the same items afterwards.
 * Reproduce a failure with FUZZ_SEED=<seed printed in the failure> npm run test:e2e -- -t fuzz.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { OpenApiDocument } from '#functions/http/openapi/generate.ts';
import { useOwnLocalRuntime } from '#test/support/local-runtime.ts';
import { type FuzzRequest, requestsFor, withIdempotencyKey } from '#test/support/openapi-fuzz.ts';

// Alone with its database: the run compares the whole table before and after.
const local = useOwnLocalRuntime();
const ORGS = local.orgs;
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const TOTAL = 5_000;
const CONCURRENCY = 16;
const CALLER = ORGS.fabrikam.admin;

type Snapshot = Map<string, string>;

const scanTable = async (): Promise<Snapshot> => {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: local.runtime.dynamoEndpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const items: Snapshot = new Map();
  for await (const page of paginateScan(
    { client },
    { TableName: local.runtime.tableName, ConsistentRead: true },
  ))
    for (const item of page.Items ?? []) items.set(`${item.pk} | ${item.sk}`, JSON.stringify(item));
  client.destroy();
  return items;
};

/** Background work (outbox delivery, timers) may still be settling after the seed: wait until two scans agree. */
const settledSnapshot = async (): Promise<Snapshot> => {
  let previous = await scanTable();
  for (let attempt = 0; attempt < 40; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const next = await scanTable();
    if (next.size === previous.size && [...next].every(([key, value]) => previous.get(key) === value))
      return next;
    previous = next;
  }
  throw new Error('the table kept changing before the fuzz run');
};

const diff = (before: Snapshot, after: Snapshot): string[] => [
  ...[...after.keys()].filter((key) => !before.has(key)).map((key) => `added ${key}`),
  ...[...before.keys()].filter((key) => !after.has(key)).map((key) => `removed ${key}`),
  ...[...after]
    .filter(([key, value]) => before.has(key) && before.get(key) !== value)
    .map(([key]) => `changed ${key}`),
];

let doc: OpenApiDocument;
let token: string;
let requests: FuzzRequest[];

beforeAll(async () => {
  const served = await local.api.anonymous.get('/openapi.json');
  expect(served.status).toBe(200);
  doc = served.body as OpenApiDocument;
  token = await local.token(CALLER.sub);
  const demo = await local.demo();
  const api = local.api.as(CALLER.sub);
  const dealBody = {
    customer: { id: demo.customers['Alpine Ski House'] ?? Object.values(demo.customers)[0] },
    name: 'Fuzz target',
    location: 'DE',
    value: { amount: 1000, currency: 'EUR' },
    closeDate: '2027-06-30',
    team: [{ name: 'Fuzz Owner', email: CALLER.email, phone: '+49 30 1' }],
    solutions: [demo.solutions['Fabrikam Analytics Suite']],
  };
  const deal = await api.post('/v1/deals', dealBody);
  expect(deal.status, JSON.stringify(deal.body)).toBe(201);
  // A second deal with two history entries: its history cursor, used on the target deal, is a defect.
  const other = await api.post('/v1/deals', { ...dealBody, name: 'Fuzz other deal' });
  expect(other.status, JSON.stringify(other.body)).toBe(201);
  expect((await api.patch(`/v1/deals/${other.body.id}`, { notes: 'edited once' })).status).toBe(200);
  const otherHistory = await api.get(`/v1/deals/${other.body.id}/history?limit=1`);
  // The consumer's worker starts cold on its first batch: let it deliver both deals' events first.
  await vi.waitFor(
    async () => {
      const events = await local.events();
      const published = (id: string) => events.some((event) => event.detail.dealId === id);
      if (!published(deal.body.id) || !published(other.body.id)) throw new Error('not published yet');
    },
    { timeout: 60_000, interval: 250 },
  );
  const solutions = await api.get('/v1/solutions?owner=partners&limit=1');
  const customers = await api.get('/v1/customers?country=DE&limit=1');
  const context = {
    // Real ids of the caller: a request that slipped through validation would change them.
    pathValues: { id: deal.body.id as string, sub: 'fuzz-nobody' },
    cursors: [
      { path: '/v1/solutions', cursor: solutions.body.nextCursor as string },
      { path: '/v1/customers', cursor: customers.body.nextCursor as string },
      {
        path: '/v1/deals/{id}/history',
        cursor: otherHistory.body.nextCursor as string,
        pathValues: { id: other.body.id as string },
      },
    ].filter((c) => c.cursor),
  };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );
  const perOperation = Math.ceil(TOTAL / operations.length);
  requests = operations.flatMap(({ path, method, operation }, index) =>
    fc.sample(requestsFor(doc, path, method, operation, context), {
      numRuns: perOperation,
      seed: SEED + index,
    }),
  );
  requests = requests.map(withIdempotencyKey);
}, 120_000);

const send = async (request: FuzzRequest) => {
  const response = await fetch(`${local.url}${request.path}`, {
    method: request.method,
    headers: { authorization: `Bearer ${token}`, ...request.headers },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
};

const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'instance'] as const;

const check = (request: FuzzRequest, response: Awaited<ReturnType<typeof send>>): string | undefined => {
  if (response.status >= 500) return `answered ${response.status}`;
  if (response.status >= 400) {
    if (response.contentType !== 'application/problem+json') return `4xx as ${response.contentType}`;
    const body = JSON.parse(response.text) as Record<string, unknown>;
    const missing = PROBLEM_FIELDS.filter((field) => body[field] === undefined || body[field] === '');
    if (missing.length > 0) return `problem without ${missing.join(', ')}`;
    if (body.status !== response.status) return `problem status ${body.status} on a ${response.status}`;
    return undefined;
  }
  return request.reject ? `accepted a defective request with ${response.status}` : undefined;
};

describe('schema-driven fuzzing through the local gateway', () => {
  it(`refuses ${TOTAL}+ malformed and boundary requests cleanly and writes nothing`, async () => {
    expect(requests.length).toBeGreaterThanOrEqual(5_000);
    const before = await settledSnapshot();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++] as FuzzRequest;
        const response = await send(request);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const failure = check(request, response);
        if (failure)
          failures.push(
            `${failure}: ${request.method} ${request.path.slice(0, 120)} [${request.defect}] → ${response.text.slice(0, 200)}`,
          );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const after = await scanTable();

    expect(failures.slice(0, 15), `seed ${SEED}, ${failures.length} failures`).toEqual([]);
    expect(diff(before, after), `seed ${SEED}: items written by rejected requests`).toEqual([]);
    // The run exercised the whole refusal vocabulary, not one status.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([400, 404, 412, 413, 415]));
    // 5,000 requests: 45 s at load 9 on a 2-CPU machine, 170 s at load 19.
  }, 240_000);
});
