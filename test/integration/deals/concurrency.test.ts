import { beforeAll, describe, expect, it } from 'vitest';
import { handler as changeStage } from '#functions/http/deals/change-stage.ts';
import { handler as create } from '#functions/http/deals/create.ts';
import { handler as get } from '#functions/http/deals/get.ts';
import { handler as history } from '#functions/http/deals/history.ts';
import { handler as update } from '#functions/http/deals/update.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';

let w: World;
beforeAll(async () => {
  w = await apiWorld();
});

const newDeal = async (): Promise<string> => {
  const response = await invoke(create, { route: 'POST /v1/deals', sub: w.partner.sub, body: w.input() });
  return response.body.id;
};

const read = async (id: string) =>
  (await invoke(get, { route: 'GET /v1/deals/{id}', params: { id }, sub: w.partner.sub })).body;

describe('concurrent writers at one deal on DynamoDB Local', () => {
  it('lose no update and half-apply nothing when edits and stage changes race without If-Match', async () => {
    const id = await newDeal();
    const at = { params: { id }, sub: w.partner.sub };
    const edits = [
      { name: 'Raced name' },
      { notes: 'raced notes' },
      { crmId: 'OPP-RACE' },
      { campaignId: 'CMP-RACE' },
      { value: { amount: 42, currency: 'USD' } },
      { closeDate: '2028-01-31' },
      { team: [{ name: 'Racer', email: 'racer@fabrikam.example', phone: '+1 555' }] },
    ];
    const responses = await Promise.all([
      ...edits.map((body) => invoke(update, { route: 'PATCH /v1/deals/{id}', ...at, body })),
      invoke(changeStage, { route: 'POST /v1/deals/{id}/stage', ...at, body: { stage: 'proposed' } }),
    ]);
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));

    const deal = await read(id);
    expect(deal).toMatchObject({
      name: 'Raced name',
      notes: 'raced notes',
      crmId: 'OPP-RACE',
      campaignId: 'CMP-RACE',
      value: { amount: 42, currency: 'USD' },
      closeDate: '2028-01-31',
      team: [{ name: 'Racer' }],
      stage: 'proposed',
      probability: 60,
      version: 1 + responses.length,
    });
    const log = await invoke(history, {
      route: 'GET /v1/deals/{id}/history',
      ...at,
      query: { limit: '100' },
    });
    expect(log.body.items).toHaveLength(1 + responses.length);
    // Each entry changed exactly the fields its request named: nothing was applied twice or merged.
    const changedSets = log.body.items
      .filter((entry: { action: string }) => entry.action !== 'created')
      .map((entry: { changes: { field: string }[] }) =>
        entry.changes.map((change) => change.field).join(','),
      );
    expect(changedSets.sort()).toEqual(
      ['name', 'notes', 'crmId', 'campaignId', 'value', 'closeDate', 'team', 'stage,probability'].sort(),
    );
  });

  // DynamoDB Local serves one deal's 50 writers far slower than DynamoDB on a shared machine (some
  // waited past API Gateway's 30 s in CI), so the invocations run without a deadline: this test is
  // about what the writers leave behind; the retry budget itself counts pauses, not wall time.
  it('lands every one of 50 concurrent PATCHes without If-Match, and the deal and its history show all 50', {
    timeout: 240_000,
  }, async () => {
    const id = await newDeal();
    const writers = Array.from({ length: 50 }, (_, i) => `Writer ${String(i).padStart(2, '0')}`);
    const responses = await Promise.all(
      writers.map((name) =>
        invoke(update, {
          route: 'PATCH /v1/deals/{id}',
          params: { id },
          sub: w.partner.sub,
          body: { name },
          timeoutMs: 'none',
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(writers.map(() => 200));

    const deal = await read(id);
    expect(deal.version).toBe(1 + writers.length);
    const entries: { action: string; changes: { field: string; to?: unknown }[] }[] = [];
    let cursor: string | undefined;
    do {
      const page = await invoke(history, {
        route: 'GET /v1/deals/{id}/history',
        params: { id },
        sub: w.partner.sub,
        query: { limit: '100', ...(cursor ? { cursor } : {}) },
      });
      entries.push(...page.body.items);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    const renames = entries.filter((entry) => entry.action === 'updated');
    // One entry per writer, each naming its own value: every write landed once, none was merged away.
    expect(
      renames.map((entry) => entry.changes.map((change) => `${change.field}=${change.to}`)).sort(),
    ).toEqual(writers.map((name) => [`name=${name}`]));
    // The newest entry is the name the deal ended with.
    expect(renames[0]?.changes[0]?.to).toBe(deal.name);
  });

  it('lets exactly one of several writers holding the same ETag win; the others get 412', async () => {
    const id = await newDeal();
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        invoke(update, {
          route: 'PATCH /v1/deals/{id}',
          params: { id },
          sub: w.partner.sub,
          headers: { 'if-match': '"1"' },
          body: { name: `Writer ${i}` },
        }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412]);
    const winner = responses.find((response) => response.status === 200);
    expect((await read(id)).name).toBe(winner?.body.name);
    expect((await read(id)).version).toBe(2);
  });
});
