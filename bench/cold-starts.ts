/**
 * Expected cold starts per 1,000 requests of a realistic mix, for the HTTP API's functions as they
 * deploy (HTTP_FUNCTIONS: a context's reads and writes) against one function per route, the layout
 * they replaced. A model, not a measurement of Lambda: requests arrive at random (Poisson) at a
 * given rate, each takes a route by the mix below, an execution environment serves one request at
 * a time and is reclaimed after `IDLE_MINUTES` without one (AWS documents no figure; 5–15 minutes
 * is what is commonly observed), and a request that finds none warm is a cold start. Seeded, so
 * the same code gives the same figures.
 *
 * `npx tsx bench/cold-starts.ts` prints the table.
 */
import { HTTP_FUNCTIONS, ROUTES, routeKey } from '#functions/http/routes.ts';

/** Requests per 100 of a working day's mix: the console's pages and a CRM connector's syncs. */
const MIX: Record<string, number> = {
  'GET /v1/deals': 24,
  'GET /v1/deals/{id}': 18,
  'GET /v1/me': 8,
  'GET /v1/deals/{id}/history': 4,
  'GET /v1/deals/{id}/comments': 4,
  'GET /v1/deals/{id}/attachments': 2,
  'GET /v1/partners': 3,
  'GET /v1/reports/pipeline': 2,
  'GET /v1/contacts/recent': 1,
  'GET /v1/customers': 3,
  'GET /v1/solutions': 3,
  'GET /v1/org/users': 1,
  'GET /v1/webhooks': 1,
  'PATCH /v1/deals/{id}': 5,
  'POST /v1/deals': 3,
  'POST /v1/deals/{id}/stage': 3,
  'POST /v1/deals/{id}/invitations': 2,
  'POST /v1/deals/{id}/accept': 2,
  'POST /v1/deals/{id}/decline': 1,
  'POST /v1/deals/{id}/comments': 2,
  'PUT /v1/deals/{id}/favorite': 1,
  'POST /v1/deals/{id}/close': 1,
  'POST /v1/deals/{id}/registration': 1,
  'POST /v1/deals/{id}/attachments': 1,
  'GET /health': 4,
};

export const IDLE_MINUTES = 10;
const REQUEST_MS = 60;
const REQUESTS = 100_000;

/** mulberry32: a small seeded generator, so runs repeat exactly. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export type ColdStartResult = {
  requestsPerMinute: number;
  perRoute: number;
  perContext: number;
  perRouteFunctions: number;
  perContextFunctions: number;
};

const simulate = (requestsPerMinute: number, functionOf: (key: string) => string): number => {
  const random = seeded(20261207);
  const keys = Object.keys(MIX);
  const total = keys.reduce((sum, key) => sum + (MIX[key] ?? 0), 0);
  const pick = () => {
    let left = random() * total;
    for (const key of keys) {
      left -= MIX[key] ?? 0;
      if (left < 0) return key;
    }
    return keys[keys.length - 1]!;
  };
  /** Per function, when each of its warm environments becomes free. */
  const environments = new Map<string, number[]>();
  let now = 0;
  let cold = 0;
  for (let i = 0; i < REQUESTS; i += 1) {
    now += (-Math.log(1 - random()) / requestsPerMinute) * 60_000;
    const fn = functionOf(pick());
    const warm = (environments.get(fn) ?? []).filter((freeAt) => now - freeAt < IDLE_MINUTES * 60_000);
    const idle = warm.findIndex((freeAt) => freeAt <= now);
    if (idle === -1) {
      cold += 1;
      warm.push(now + REQUEST_MS);
    } else warm[idle] = now + REQUEST_MS;
    environments.set(fn, warm);
  }
  return (cold / REQUESTS) * 1000;
};

export const benchColdStarts = (): ColdStartResult[] => {
  for (const key of Object.keys(MIX)) {
    if (!ROUTES.some((route) => routeKey(route) === key)) throw new Error(`${key} is not a route`);
  }
  const contextOf = (key: string) =>
    HTTP_FUNCTIONS.find((fn) => fn.routes.some((route) => routeKey(route) === key))?.id ?? key;
  return [1, 10, 60, 600].map((requestsPerMinute) => ({
    requestsPerMinute,
    perRoute: simulate(requestsPerMinute, (key) => key),
    perContext: simulate(requestsPerMinute, contextOf),
    perRouteFunctions: ROUTES.length,
    perContextFunctions: HTTP_FUNCTIONS.length,
  }));
};

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    `| requests per minute | one function per route (${ROUTES.length}) | per context and kind (${HTTP_FUNCTIONS.length}) |`,
  );
  console.log('|---|---|---|');
  for (const result of benchColdStarts()) {
    console.log(
      `| ${result.requestsPerMinute} | ${result.perRoute.toFixed(1)} | ${result.perContext.toFixed(1)} |`,
    );
  }
  console.log(`\nCold starts per 1,000 requests; environments reclaimed after ${IDLE_MINUTES} idle minutes.`);
}
