/**
 * DynamoDB hangs during a create with an Idempotency-Key: the function answers 503 `outcome-unknown`
 * before its time runs out, the held write still lands afterwards, and a retry with the same key
 * never makes a second deal. The handlers reach DynamoDB Local through a proxy the test can pause.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDeps, overrideDeps, resetDeps } from '#functions/composition/deps.ts';
import { resetConfig } from '#functions/config.ts';
import { handler as create } from '#functions/http/deals/create.ts';
import { handler as list } from '#functions/http/deals/list.ts';
import { wireHandlersToTestTable } from '#test/support/api-world.ts';
import { seedWorld, settableClock, type World } from '#test/support/deal-world.ts';
import { type HangProxy, startHangProxy } from '#test/support/hang-proxy.ts';
import { invoke } from '#test/support/http.ts';
import { expectProblem } from '#test/support/problem.ts';

const WRITE = 'DynamoDB_20120810.TransactWriteItems';
/**
 * The function's timeout in these tests: calls are aborted 2 s before it ends. The reads before the
 * write must fit in the rest even on a loaded machine (at 4 s they did not, in CI), and each test
 * waits out the hung write, so no longer than that.
 */
const TIMEOUT_MS = 8_000;

let w: World;
let proxy: HangProxy;
beforeAll(async () => {
  const table = await wireHandlersToTestTable();
  proxy = await startHangProxy(table.endpoint);
  process.env.DYNAMODB_ENDPOINT = proxy.endpoint;
  resetConfig();
  resetDeps();
  const clock = settableClock();
  overrideDeps({ clock });
  w = await seedWorld(getDeps(), clock.set);
});
afterAll(async () => {
  await proxy?.release();
  await proxy?.close();
});

let sequence = 0;
const uniqueBody = () => {
  const input = w.input({ name: `Hung store deal ${++sequence}` });
  return { ...input, customer: { ...input.customer, consentToShareWithHost: false } };
};
const post = (body: unknown, key: string) =>
  invoke(create, {
    route: 'POST /v1/deals',
    sub: w.partner.sub,
    body,
    headers: { 'Idempotency-Key': key },
    timeoutMs: TIMEOUT_MS,
  });
const dealsNamed = async (name: string): Promise<number> => {
  const page = await invoke(list, {
    route: 'GET /v1/deals',
    sub: w.partner.sub,
    query: { view: 'outbound', limit: '100' },
  });
  return page.body.items.filter((deal: { name: string }) => deal.name === name).length;
};
const until = async (check: () => Promise<boolean>): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('a hung DynamoDB during a write with an Idempotency-Key', () => {
  it('answers 503 outcome-unknown in time, and a retry with the same key never writes twice', async () => {
    const body = uniqueBody();
    proxy.hang(WRITE);
    const started = Date.now();
    const first = await post(body, 'hung-write-1');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    expectProblem(first, 503, 'outcome-unknown');
    expect(Number(first.headers['retry-after'])).toBeGreaterThan(0);
    expect(proxy.held()).toBe(1);

    // The write the function gave up on reaches DynamoDB after all.
    await proxy.release();
    await until(async () => (await dealsNamed(body.name)) === 1);

    const retry = await post(body, 'hung-write-1');
    expectProblem(retry, 409, 'outcome-unknown');
    expect(await dealsNamed(body.name)).toBe(1);
  });

  it('tells a retry to wait while the first attempt may still be running (409 with Retry-After)', async () => {
    const body = uniqueBody();
    proxy.hang(WRITE);
    const first = post(body, 'hung-write-2');
    await until(async () => proxy.held() === 1);
    const meanwhile = await post(body, 'hung-write-2');
    expectProblem(meanwhile, 409, 'request-in-progress');
    expect(Number(meanwhile.headers['retry-after'])).toBeGreaterThan(0);
    expectProblem(await first, 503, 'outcome-unknown');
    await proxy.release();
    expect(await dealsNamed(body.name)).toBeLessThanOrEqual(1);
  });

  it('answers the same 503 outcome-unknown without a key', async () => {
    proxy.hang(WRITE);
    const first = await invoke(create, {
      route: 'POST /v1/deals',
      sub: w.partner.sub,
      body: uniqueBody(),
      timeoutMs: TIMEOUT_MS,
    });
    expectProblem(first, 503, 'outcome-unknown');
    await proxy.release();
  });
});
