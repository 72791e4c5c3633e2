/**
 * Deal owners on DynamoDB Local: the owner routes through their middy pipeline, the owner lists read
 * from gsi3 (one Query of one owner's partition, never a filtered read of the org's tab), the
 * condition on the new owner's membership, and the backfill of deals written before owners existed.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ownerOf } from '#domain/deals/rules/owner.ts';
import { listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { removeMember } from '#domain/identity/members.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { DynamoDealStore } from '#functions/adapters/dynamo/deal-store.ts';
import { dealKeys } from '#functions/adapters/dynamo/keys.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { getDeps } from '#functions/composition/deps.ts';
import { handler as assign } from '#functions/http/deals/assign-owner.ts';
import { handler as list } from '#functions/http/deals/list.ts';
import { handler as candidates } from '#functions/http/deals/owner-candidates.ts';
import { handler as unassign } from '#functions/http/deals/unassign-owner.ts';
import { DealPage, DealResponse, OwnerCandidates } from '#functions/http/schemas/deals/responses.ts';
import { backfillDealOwners } from '#infra/scripts/backfill-deal-owners.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';
import { expectProblem } from '#test/support/problem.ts';

let w: World & { tableName: string };
let table: TableRef;

beforeAll(async () => {
  w = await apiWorld();
  table = {
    db: createDocumentClient({ region: 'local', endpoint: process.env.DYNAMODB_ENDPOINT ?? '' }),
    tableName: w.tableName,
  };
});

const raw = async (dealId: string) =>
  (
    await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: dealKeys.item(dealId), ConsistentRead: true }),
    )
  ).Item;

const team = (...people: { name: string; email: string }[]) =>
  people.map((person) => ({ name: person.name, email: person.email, phone: '+1 555' }));

describe('the owner routes', () => {
  it('assign an eligible member with If-Match, refuse anyone else with 422, and leave the deal unowned', async () => {
    const user = await w.member(w.partner, 'int-owner-user', ['referral-user'], ['DE']);
    const deal = await w.create(w.partner, { team: team(w.partner, user) });
    const assigned = await invoke(assign, {
      route: 'PUT /v1/deals/{id}/owner',
      params: { id: deal.id },
      sub: w.partner.sub,
      headers: { 'if-match': '"1"' },
      body: { email: user.email },
    });
    expect(assigned.status).toBe(200);
    expect(DealResponse.parse(assigned.body).owner).toEqual({ email: user.email, name: user.name });
    expect(assigned.headers.etag).toBe('"2"');

    const refused = await invoke(assign, {
      route: 'PUT /v1/deals/{id}/owner',
      params: { id: deal.id },
      sub: w.partner.sub,
      body: { email: w.other.email },
    });
    expectProblem(refused, 422);
    expect(refused.body).toMatchObject({ code: 'not-eligible-owner' });

    const listed = await invoke(candidates, {
      route: 'GET /v1/deals/{id}/owner-candidates',
      params: { id: deal.id },
      sub: user.sub,
    });
    expect(OwnerCandidates.parse(listed.body).items.map((item) => item.email)).toContain(user.email);

    const unowned = await invoke(unassign, {
      route: 'DELETE /v1/deals/{id}/owner',
      params: { id: deal.id },
      sub: user.sub,
    });
    expect(unowned.status).toBe(200);
    expect(DealResponse.parse(unowned.body).owner).toBeNull();
    expect(DealResponse.parse(unowned.body).actions).not.toContain('assign-owner');
  });

  it("answers 404 for another org's deal", async () => {
    const deal = await w.create(w.partner);
    expectProblem(
      await invoke(assign, {
        route: 'PUT /v1/deals/{id}/owner',
        params: { id: deal.id },
        sub: w.other.sub,
        body: { email: w.other.email },
      }),
      404,
    );
  });
});

describe('the owner lists on gsi3', () => {
  it('read one owner partition per tab, newest first, and page through it', async () => {
    const user = await w.member(w.other, 'int-list-user', ['referral-user'], ['DE']);
    const first = await w.create(user, { team: team(user) });
    const second = await w.create(user, { team: team(user) });
    await w.create(w.other);
    const page = async (owner: string, cursor?: string) =>
      invoke(list, {
        route: 'GET /v1/deals',
        sub: w.other.sub,
        query: { owner, limit: '1', ...(cursor ? { cursor } : {}) },
      });
    const one = DealPage.parse((await page(user.email)).body);
    expect(one.items.map((item) => item.id)).toEqual([second.id]);
    const two = DealPage.parse((await page(user.email, one.nextCursor ?? '')).body);
    expect(two.items.map((item) => item.id)).toEqual([first.id]);
    if (two.nextCursor)
      expect(DealPage.parse((await page(user.email, two.nextCursor)).body).items).toEqual([]);
    // The index holds the owner's deals only: an unfiltered page of `limit` entries reads no other.
    const store = new DynamoDealStore(table);
    const read = await store.list(
      { orgId: w.other.orgId, source: { by: 'owner', owner: user.email, direction: 'outbound' } },
      w.other.sub,
      { limit: 10 },
    );
    expect(read.items.map((item) => item.deal.id)).toEqual([second.id, first.id]);
  });

  it('never shows a removed member as owner, and lists its deals as unowned', async () => {
    const user = await w.member(w.assessor, 'int-removed-user', ['referral-user'], ['DE']);
    const deal = await w.create(user, { team: team(user) });
    await removeMember(getDeps(), w.assessor, { email: user.email });
    const none = await listDeals(getDeps(), w.assessor, { tab: 'outbound', owner: 'none' }, { limit: 50 });
    expect(none.items.find((view) => view.deal.id === deal.id)?.deal.owner).toBeUndefined();
    const theirs = await listDeals(getDeps(), w.assessor, { owner: { email: user.email } }, { limit: 50 });
    expect(theirs.items).toEqual([]);
  });
});

describe('infra/scripts/backfill-deal-owners.ts', () => {
  it('gives deals written before owners their creator (or nobody) and the owner keys, once', async () => {
    const outbound = await w.create(w.host);
    const { received } = await w.invited(w.host, w.partner);
    // As the last release wrote them: no owner, gsi3 keys of the engagement.
    for (const deal of [outbound, received]) {
      await table.db.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: dealKeys.item(deal.id),
          UpdateExpression: 'SET gsi3pk = :pk, gsi3sk = :sk REMOVE #owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':pk': `ENG#${deal.engagementId}`, ':sk': `ORG#${deal.orgId}` },
        }),
      );
    }
    const first = await backfillDealOwners(table, { segments: 2 });
    expect(first.found).toBeGreaterThanOrEqual(2);
    expect(await raw(outbound.id)).toMatchObject({
      owner: ownerOf({ email: w.host.email, name: w.host.name }),
      gsi3pk: `ORG#${w.host.orgId}#OWNER#${w.host.email}`,
      version: outbound.version,
    });
    expect(await raw(received.id)).toMatchObject({ gsi3pk: `ORG#${w.partner.orgId}#UNOWNED` });
    expect((await raw(received.id))?.owner).toBeUndefined();
    expect(await backfillDealOwners(table, { segments: 2 })).toMatchObject({ found: 0 });
  });
});
