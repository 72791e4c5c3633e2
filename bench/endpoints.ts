/**
 * Benchmarks 1 and 2: each endpoint through the local gateway (HTTP, JWT check, API event, the real
 * middy pipeline and handler) against two raw sides with a plain SDK client on the same DynamoDB
 * Local in the same run: the *floor*, the minimal DynamoDB requests the operation needs (built here
 * from the key templates, whatever the code does), and the *replay* of the calls the endpoint
 * actually made (recorded). All three run interleaved, one request at a time, from a warm state;
 * write endpoints get their state restored (untimed) before every run, so each run does the same work.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { customerKeys, dealKeys, favoriteKeys, membershipKeys } from '#functions/adapters/dynamo/keys.ts';
import { DEMO } from '#infra/local/demo-data.ts';
import { type BenchRuntime, expectStatus, type Http, type HttpResult } from './lib/local.ts';
import {
  type RecordedCall,
  type Recording,
  rawDocumentClient,
  record,
  replay,
  restore,
} from './lib/replay.ts';
import { progress, type Summary, summarize } from './lib/stats.ts';

export type EndpointResult = {
  name: string;
  route: string;
  gateway: Summary;
  /** The minimal requests of the operation. */
  floor: Summary;
  /** The requests the endpoint made, replayed. */
  raw: Summary;
  /** How many requests the floor makes. */
  floorCalls: string[];
  calls: { command: string; items: number; read: number; write: number; total: number }[];
  /**
   * Medians of where a gateway request's time went, from the local gateway's `Server-Timing`: the
   * client and loopback HTTP (the rest), the gateway's own work, the hand-off to the function's
   * worker and back, the handler's own work, and its DynamoDB calls as the function made them.
   */
  breakdown: { client: number; gateway: number; handOff: number; handler: number; dynamodb: number };
  /** The most DynamoDB calls one timed gateway request made (more than recorded: a retried round). */
  mostCalls: number;
};

type Scenario = {
  name: string;
  route: string;
  /** One request through the API; must succeed. */
  run: () => Promise<HttpResult>;
  /** The minimal requests of the operation, given what the endpoint recorded (its writes). */
  floor: (recorded: Recording) => Recording;
};

type Key = Record<string, string>;

const call = (command: string, input: Record<string, unknown>): RecordedCall => ({
  command,
  input,
  start: 0,
  end: 0,
  consumed: { read: 0, write: 0, total: 0 },
  items: 0,
});

/** Calls of a floor run one after another (replay runs overlapping calls together). */
const sequential = (calls: RecordedCall[]): RecordedCall[] =>
  calls.map((entry, index) => ({ ...entry, start: 2 * index, end: 2 * index + 1 }));

/** One strongly consistent BatchGetItem of `keys`: how a request reads its caller and what it names. */
export const batchRead = (table: string, keys: Key[]): RecordedCall =>
  call('BatchGetItemCommand', { RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } });

const WRITES = new Set([
  'TransactWriteItemsCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
]);

/** The floor of a write: one read, then the write the endpoint made (its transaction or put). */
export const readThenWrite = (recorded: Recording, read: RecordedCall): Recording => ({
  calls: sequential([read, ...recorded.calls.filter((entry) => WRITES.has(entry.command))]),
  preImages: recorded.preImages,
});

export const readOnly = (calls: RecordedCall[]): Recording => ({
  calls: sequential(calls),
  preImages: new Map(),
});

/** The caller's binding, the deal and the caller's mark: everything a request on one deal reads. */
export const dealReadKeys = (sub: string, dealId: string): Key[] => [
  membershipKeys.binding(sub),
  dealKeys.item(dealId),
  favoriteKeys.item(sub, dealId),
];

/** The caller's binding and the customer a create names. */
export const createReadKeys = (sub: string, customerId: string): Key[] => [
  membershipKeys.binding(sub),
  customerKeys.item(customerId),
];

export type Demo = {
  customerId: string;
  solutionId: string;
  adatumOrgId: string;
};

export const dealBody = (demo: Demo, invite?: unknown) => ({
  customer: { id: demo.customerId, consentToShareWithHost: true },
  name: 'Benchmark data platform',
  location: 'DE',
  value: { amount: 120000, currency: 'EUR' },
  closeDate: '2030-06-30',
  team: [{ name: 'Fabrikam Admin', email: DEMO.fabrikam.admin.email, phone: '+49 30 1' }],
  solutions: [demo.solutionId],
  ...(invite ? { invite } : {}),
});

export const readDemo = async (bench: BenchRuntime): Promise<Demo> => {
  const host = await bench.as(DEMO.host.admin.sub);
  const customers = (await host('GET', '/v1/customers?country=DE&q=alpine')).body as {
    items: { id: string }[];
  };
  const solutions = (await host('GET', '/v1/solutions?owner=mine&limit=100')).body as {
    items: { id: string; name: string }[];
  };
  const adatum = await bench.as(DEMO.adatum.admin.sub);
  const me = (await adatum('GET', '/v1/me')).body as { org: { id: string } };
  return {
    customerId: customers.items[0]!.id,
    solutionId: solutions.items.find((s) => s.name === 'Contoso Data Platform')!.id,
    adatumOrgId: me.org.id,
  };
};

/** Creates `count` deals as Fabrikam (the list page then has a full page) and returns their ids. */
const createDeals = async (fabrikam: Http, demo: Demo, count: number, invite?: unknown) => {
  const ids: { id: string; engagementId: string }[] = [];
  for (let i = 0; i < count; i++) {
    const created = expectStatus(await fabrikam('POST', '/v1/deals', dealBody(demo, invite)), 201, 'create');
    ids.push(created.body as { id: string; engagementId: string });
  }
  return ids;
};

const inboundOf = async (adatum: Http, engagementId: string): Promise<string> => {
  const page = (await adatum('GET', '/v1/deals?view=inbound&limit=100')).body as {
    items: { id: string; engagementId: string }[];
  };
  const found = page.items.find((item) => item.engagementId === engagementId);
  if (!found) throw new Error('inbound deal not found');
  return found.id;
};

export const benchEndpoints = async (
  bench: BenchRuntime,
  options: { iterations: number; warmup: number },
): Promise<EndpointResult[]> => {
  // Two raw clients, so two connections: the untimed work (recording, restoring) goes through `raw`,
  // the timed floor and replay through `timedRaw`. A function's connection is idle between its
  // requests; the timed raw side must not run on the connection the restore has just used (a call
  // right after another on the same connection was measured up to 0.5 ms faster).
  const raw = rawDocumentClient(bench.runtime.dynamoEndpoint);
  const timedRaw = rawDocumentClient(bench.runtime.dynamoEndpoint);
  const table = bench.runtime.tableName;
  const demo = await readDemo(bench);
  const fabrikam = await bench.as(DEMO.fabrikam.admin.sub);
  const adatum = await bench.as(DEMO.adatum.admin.sub);
  const fabrikamSub = DEMO.fabrikam.admin.sub;
  const adatumSub = DEMO.adatum.admin.sub;
  const fabrikamOrgId = ((await fabrikam('GET', '/v1/me')).body as { org: { id: string } }).org.id;
  const deals = await createDeals(fabrikam, demo, 30);
  const dealId = deals[0]!.id;
  const invited = await createDeals(fabrikam, demo, 2, {
    partners: [{ orgId: demo.adatumOrgId, helpType: 'technical' }],
  });
  const toAccept = await inboundOf(adatum, invited[0]!.engagementId);
  const toDecline = await inboundOf(adatum, invited[1]!.engagementId);
  // One favorite on the list page, so its BatchGet finds something.
  expectStatus(await fabrikam('PUT', `/v1/deals/${deals[29]!.id}/favorite`), 204, 'favorite');

  // The list page's floor: the outbound tab's Query and one BatchGetItem of the page's marks.
  const listQuery = call('QueryCommand', {
    TableName: table,
    IndexName: 'gsi1',
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': 'gsi1pk' },
    ExpressionAttributeValues: { ':pk': dealKeys.directionPartition(fabrikamOrgId, 'outbound').partition },
    ScanIndexForward: false,
    Limit: 25,
  });
  const listPage = await raw.send(new QueryCommand(listQuery.input as never));
  // The marks' read also reads the caller's binding (strongly consistent): authorization needs it.
  const pageMarks = [
    membershipKeys.binding(fabrikamSub),
    ...(listPage.Items ?? []).map((item) => favoriteKeys.item(fabrikamSub, item.id as string)),
  ];
  const dealRead = (sub: string, id: string) => batchRead(table, dealReadKeys(sub, id));

  const ok = (status: number, what: string) => async (result: Promise<HttpResult>) =>
    expectStatus(await result, status, what);

  const scenarios: Scenario[] = [
    {
      name: 'get deal',
      route: 'GET /v1/deals/{id}',
      run: () => ok(200, 'get')(fabrikam('GET', `/v1/deals/${dealId}`)),
      floor: () => readOnly([dealRead(fabrikamSub, dealId)]),
    },
    {
      name: 'list page (25)',
      route: 'GET /v1/deals?view=outbound',
      run: () => ok(200, 'list')(fabrikam('GET', '/v1/deals?view=outbound&limit=25')),
      floor: () => readOnly([listQuery, batchRead(table, pageMarks)]),
    },
    {
      name: 'create',
      route: 'POST /v1/deals',
      run: () => ok(201, 'create')(fabrikam('POST', '/v1/deals', dealBody(demo))),
      floor: (recorded) =>
        readThenWrite(recorded, batchRead(table, createReadKeys(fabrikamSub, demo.customerId))),
    },
    {
      name: 'edit (PATCH)',
      route: 'PATCH /v1/deals/{id}',
      run: () =>
        ok(200, 'patch')(fabrikam('PATCH', `/v1/deals/${dealId}`, { name: 'Renamed by the benchmark' })),
      floor: (recorded) => readThenWrite(recorded, dealRead(fabrikamSub, dealId)),
    },
    {
      name: 'stage',
      route: 'POST /v1/deals/{id}/stage',
      run: () => ok(200, 'stage')(fabrikam('POST', `/v1/deals/${dealId}/stage`, { stage: 'qualified' })),
      floor: (recorded) => readThenWrite(recorded, dealRead(fabrikamSub, dealId)),
    },
    {
      name: 'favorite',
      route: 'PUT /v1/deals/{id}/favorite',
      run: () => ok(204, 'favorite')(fabrikam('PUT', `/v1/deals/${dealId}/favorite`)),
      floor: (recorded) => readThenWrite(recorded, dealRead(fabrikamSub, dealId)),
    },
    {
      name: 'accept',
      route: 'POST /v1/deals/{id}/accept',
      run: () => ok(200, 'accept')(adatum('POST', `/v1/deals/${toAccept}/accept`, { crmId: 'ADT-1' })),
      floor: (recorded) => readThenWrite(recorded, dealRead(adatumSub, toAccept)),
    },
    {
      name: 'decline',
      route: 'POST /v1/deals/{id}/decline',
      run: () =>
        ok(200, 'decline')(adatum('POST', `/v1/deals/${toDecline}/decline`, { reason: 'no-capacity' })),
      floor: (recorded) => readThenWrite(recorded, dealRead(adatumSub, toDecline)),
    },
  ];

  const results: EndpointResult[] = [];
  for (const scenario of scenarios) {
    // A first run warms the route (module, caches such as the solutions catalog); the recording run
    // then shows what this endpoint sends to DynamoDB when warm, and the state to restore each time.
    await restore(
      raw,
      await record(raw, async () => {
        await scenario.run();
      }),
    );
    let recording: Recording | undefined = await record(raw, async () => {
      await scenario.run();
    });
    await restore(raw, recording);
    const floor = scenario.floor(recording);
    for (let i = 0; i < options.warmup; i++) {
      await scenario.run();
      await restore(raw, recording);
      await replay(timedRaw, floor);
      await restore(raw, recording);
      await replay(timedRaw, recording);
      await restore(raw, recording);
    }
    const gateway: number[] = [];
    const minimal: number[] = [];
    const direct: number[] = [];
    const parts = {
      client: [] as number[],
      gateway: [] as number[],
      handOff: [] as number[],
      dynamodb: [] as number[],
      handler: [] as number[],
    };
    let mostCalls = 0;
    const timed = async (samples: number[], run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      samples.push(performance.now() - started);
      await restore(raw, recording!);
    };
    const timedThroughGateway = () =>
      timed(gateway, async () => {
        const { ms, timing } = await scenario.run();
        const part = (name: string) => timing[name] ?? 0;
        const server = part('gateway') + part('invoke') + part('handler') + part('dynamodb');
        parts.client.push(ms - server);
        parts.gateway.push(part('gateway'));
        parts.handOff.push(part('invoke'));
        parts.handler.push(part('handler'));
        parts.dynamodb.push(part('dynamodb'));
        mostCalls = Math.max(mostCalls, part('dynamodbCalls'));
      });
    for (let i = 0; i < options.iterations; i++) {
      await timedThroughGateway();
      await timed(minimal, () => replay(timedRaw, floor));
      await timed(direct, () => replay(timedRaw, recording!));
    }
    const result: EndpointResult = {
      name: scenario.name,
      route: scenario.route,
      gateway: summarize(gateway),
      floor: summarize(minimal),
      raw: summarize(direct),
      floorCalls: floor.calls.map((entry) => entry.command),
      calls: recording.calls.map((call) => ({ command: call.command, items: call.items, ...call.consumed })),
      breakdown: {
        client: summarize(parts.client).median,
        gateway: summarize(parts.gateway).median,
        handOff: summarize(parts.handOff).median,
        handler: summarize(parts.handler).median,
        dynamodb: summarize(parts.dynamodb).median,
      },
      mostCalls,
    };
    results.push(result);
    progress(
      `${scenario.name}: gateway median ${result.gateway.median.toFixed(2)} ms p99 ${result.gateway.p99.toFixed(2)} ms; floor median ${result.floor.median.toFixed(2)} ms p99 ${result.floor.p99.toFixed(2)} ms; replay median ${result.raw.median.toFixed(2)} ms; calls ${result.calls.map((c) => c.command).join(', ')}`,
    );
    recording = undefined;
  }
  raw.destroy();
  timedRaw.destroy();
  return results;
};
