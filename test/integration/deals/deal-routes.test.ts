import { beforeAll, describe, expect, it } from 'vitest';
import { handler as changeStage } from '#functions/http/deals/change-stage.ts';
import { handler as close } from '#functions/http/deals/close.ts';
import { handler as create } from '#functions/http/deals/create.ts';
import { handler as get } from '#functions/http/deals/get.ts';
import { handler as history } from '#functions/http/deals/history.ts';
import { handler as list } from '#functions/http/deals/list.ts';
import { handler as markFavorite } from '#functions/http/deals/mark-favorite.ts';
import { handler as unmarkFavorite } from '#functions/http/deals/unmark-favorite.ts';
import { handler as update } from '#functions/http/deals/update.ts';
import { DealPage, DealResponse, HistoryPage } from '#functions/http/schemas/deals/responses.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';
import { expectProblem } from '#test/support/problem.ts';

let w: World;
beforeAll(async () => {
  w = await apiWorld();
});

const createBody = () => {
  const input = w.input();
  return { ...input, customer: { ...input.customer, consentToShareWithHost: false } };
};

const createAs = async (sub: string, body: unknown = createBody()) =>
  invoke(create, { route: 'POST /v1/deals', sub, body });

describe('deal routes through the middy pipeline on DynamoDB Local', () => {
  it('creates a deal: 201, Location, ETag and the documented shape', async () => {
    const response = await createAs(w.partner.sub);
    expect(response.status).toBe(201);
    const deal = DealResponse.parse(response.body);
    expect(response.headers.location).toBe(`/v1/deals/${deal.id}`);
    expect(response.headers.etag).toBe('"1"');
    expect(deal).toMatchObject({ type: 'private', status: 'accepted', stage: 'created', participants: [] });

    const read = await invoke(get, {
      route: 'GET /v1/deals/{id}',
      params: { id: deal.id },
      sub: w.partner.sub,
    });
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toEqual(deal);
  });

  it("answers 404 problem+json for another org's deal and the host's view of a private deal", async () => {
    const { body: deal } = await createAs(w.partner.sub);
    for (const sub of [w.other.sub, w.host.sub]) {
      expectProblem(await invoke(get, { route: 'GET /v1/deals/{id}', params: { id: deal.id }, sub }), 404);
      expectProblem(
        await invoke(update, {
          route: 'PATCH /v1/deals/{id}',
          params: { id: deal.id },
          sub,
          body: { name: 'x' },
        }),
        404,
      );
    }
  });

  it('answers every kind of bad input with problem+json and writes nothing', async () => {
    const before = await invoke(list, {
      route: 'GET /v1/deals',
      sub: w.assessor.sub,
      query: { limit: '100' },
    });
    const valid = createBody();
    const unknownField = await createAs(w.assessor.sub, { ...valid, dealType: 'co-sell' });
    expectProblem(unknownField, 400);
    expect(unknownField.body.errors).toEqual([{ path: 'dealType', message: 'Unknown field.' }]);

    const wrongShapes = await createAs(w.assessor.sub, {
      ...valid,
      value: { amount: -1, currency: 'euro' },
      team: [],
      location: 'Germany',
    });
    expectProblem(wrongShapes, 400);
    expect(wrongShapes.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'location',
      'team',
      'value.amount',
      'value.currency',
    ]);

    expectProblem(await createAs(w.assessor.sub, { ...valid, closeDate: '2020-01-01' }), 400);
    const noSuchCountry = await createAs(w.assessor.sub, { ...valid, location: 'XX' });
    expectProblem(noSuchCountry, 400);
    expect(noSuchCountry.body.errors).toEqual([
      { path: 'location', message: expect.stringContaining('No country') },
    ]);
    expectProblem(await createAs(w.assessor.sub, { ...valid, solutions: ['nope'] }), 422);
    expectProblem(
      await invoke(create, { route: 'POST /v1/deals', sub: w.assessor.sub, rawBody: '{"name":' }),
      400,
    );
    expectProblem(
      await invoke(create, {
        route: 'POST /v1/deals',
        sub: w.assessor.sub,
        rawBody: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
    );
    expectProblem(await createAs(w.assessor.sub, { ...valid, notes: 'x'.repeat(70 * 1024) }), 413);
    expectProblem(await invoke(create, { route: 'POST /v1/deals', body: valid }), 401);
    expectProblem(await invoke(create, { route: 'POST /v1/deals', sub: 'stranger', body: valid }), 403);

    const after = await invoke(list, {
      route: 'GET /v1/deals',
      sub: w.assessor.sub,
      query: { limit: '100' },
    });
    expect(after.body.items).toEqual(before.body.items);
  });

  it('pages with signed cursors bound to the query and the caller', async () => {
    for (let i = 0; i < 3; i++) await createAs(w.other.sub);
    const first = await invoke(list, {
      route: 'GET /v1/deals',
      sub: w.other.sub,
      query: { view: 'outbound', limit: '2' },
    });
    expect(first.status).toBe(200);
    expect(DealPage.parse(first.body).items).toHaveLength(2);
    const cursor: string = first.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));

    const second = await invoke(list, {
      route: 'GET /v1/deals',
      sub: w.other.sub,
      query: { view: 'outbound', limit: '2', cursor },
    });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((deal: { id: string }) => deal.id);
    expect(new Set(ids).size).toBe(3);

    const [data = '', signature = ''] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ k: { pk: 'ORG#x' }, b: 'x' })).toString('base64url')}.${signature}`;
    const tampered = [`${data}x.${signature}`, forged, 'garbage'];
    for (const bad of tampered) {
      const response = await invoke(list, {
        route: 'GET /v1/deals',
        sub: w.other.sub,
        query: { view: 'outbound', cursor: bad },
      });
      expectProblem(response, 400);
      expect(response.body.code).toBe('invalid-cursor');
    }
    const otherQuery = await invoke(list, {
      route: 'GET /v1/deals',
      sub: w.other.sub,
      query: { view: 'outbound', status: 'accepted', cursor },
    });
    expectProblem(otherQuery, 400);
    const otherCaller = await invoke(list, {
      route: 'GET /v1/deals',
      sub: w.partner.sub,
      query: { view: 'outbound', cursor },
    });
    expectProblem(otherCaller, 400);
  });

  it('filters by several statuses and a CRM id, and answers bad filters with 400', async () => {
    const sub = w.assessor.sub;
    const { body: tagged } = await createAs(sub, { ...createBody(), crmId: 'OPP-HTTP-1', campaignId: 'Q1' });
    const { body: lost } = await createAs(sub);
    await invoke(close, {
      route: 'POST /v1/deals/{id}/close',
      params: { id: lost.id },
      sub,
      body: { outcome: 'lost', reason: 'no-budget' },
    });
    const listed = async (query: Record<string, string>) => {
      const response = await invoke(list, { route: 'GET /v1/deals', sub, query });
      expect(response.status).toBe(200);
      return DealPage.parse(response.body).items.map((deal) => deal.id);
    };
    expect(await listed({ status: 'won,lost,declined,expired,closed' })).toEqual([lost.id]);
    expect(await listed({ status: 'accepted,lost' })).toEqual([lost.id, tagged.id]);
    expect(await listed({ crmId: 'OPP-HTTP-1' })).toEqual([tagged.id]);
    expect(await listed({ campaignId: 'Q1', view: 'outbound' })).toEqual([tagged.id]);
    expect(await listed({ crmId: 'OPP-HTTP-1', view: 'inbound' })).toEqual([]);

    const badQueries: Record<string, string>[] = [
      { status: 'won,bogus' },
      { status: '' },
      { updatedSince: 'yesterday' },
      { view: 'favorites', crmId: 'OPP-HTTP-1' },
      { view: 'favorites', updatedSince: '2027-01-01T00:00:00Z' },
      { type: 'huge' },
      { location: 'de' },
    ];
    for (const query of badQueries) {
      const response = await invoke(list, { route: 'GET /v1/deals', sub, query });
      expectProblem(response, 400);
    }
  });

  it('toggles favorites idempotently with 204 and lists them', async () => {
    const { body: deal } = await createAs(w.partner.sub);
    const route = { params: { id: deal.id }, sub: w.partner.sub };
    expect((await invoke(markFavorite, { route: 'PUT /v1/deals/{id}/favorite', ...route })).status).toBe(204);
    expect((await invoke(markFavorite, { route: 'PUT /v1/deals/{id}/favorite', ...route })).status).toBe(204);
    const favorites = await invoke(list, {
      route: 'GET /v1/deals',
      sub: w.partner.sub,
      query: { view: 'favorites' },
    });
    expect(favorites.body.items.map((d: { id: string }) => d.id)).toEqual([deal.id]);
    expect((await invoke(get, { route: 'GET /v1/deals/{id}', ...route })).body.favorite).toBe(true);
    expect((await invoke(unmarkFavorite, { route: 'DELETE /v1/deals/{id}/favorite', ...route })).status).toBe(
      204,
    );
    expect((await invoke(unmarkFavorite, { route: 'DELETE /v1/deals/{id}/favorite', ...route })).status).toBe(
      204,
    );
    expect((await invoke(get, { route: 'GET /v1/deals/{id}', ...route })).body.favorite).toBe(false);
  });

  it('edits with If-Match, refuses the location, walks stages to won, then refuses changes', async () => {
    const { body: deal } = await createAs(w.partner.sub);
    const at = { params: { id: deal.id }, sub: w.partner.sub };
    const location = await invoke(update, { route: 'PATCH /v1/deals/{id}', ...at, body: { location: 'FR' } });
    expectProblem(location, 400);
    expect(location.body.errors).toEqual([{ path: 'location', message: expect.stringContaining('fixed') }]);

    const stale = await invoke(update, {
      route: 'PATCH /v1/deals/{id}',
      ...at,
      body: { name: 'New' },
      headers: { 'if-match': '"9"' },
    });
    expectProblem(stale, 412);
    const edited = await invoke(update, {
      route: 'PATCH /v1/deals/{id}',
      ...at,
      body: { name: 'New' },
      headers: { 'if-match': '"1"' },
    });
    expect(edited.status).toBe(200);
    expect(edited.headers.etag).toBe('"2"');

    const stage = await invoke(changeStage, {
      route: 'POST /v1/deals/{id}/stage',
      ...at,
      body: { stageName: 'Verbal yes', probability: 85 },
    });
    expect(stage.body).toMatchObject({
      stage: 'negotiated',
      probability: 80,
      companyStage: { name: 'Verbal yes', probability: 85 },
    });
    expectProblem(
      await invoke(changeStage, { route: 'POST /v1/deals/{id}/stage', ...at, body: { stage: 'won' } }),
      400,
    );

    const won = await invoke(close, { route: 'POST /v1/deals/{id}/close', ...at, body: { outcome: 'won' } });
    expect(won.body).toMatchObject({ status: 'won', stage: 'won', probability: 100 });
    const after = await invoke(update, { route: 'PATCH /v1/deals/{id}', ...at, body: { name: 'Later' } });
    expectProblem(after, 409);
    expect(after.body.code).toBe('terminal-deal');

    const log = await invoke(history, { route: 'GET /v1/deals/{id}/history', ...at, query: { limit: '2' } });
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['won', 'stage-changed']);
    const rest = await invoke(history, {
      route: 'GET /v1/deals/{id}/history',
      ...at,
      query: { limit: '2', cursor: log.body.nextCursor },
    });
    expect(rest.body.items.map((e: { action: string }) => e.action)).toEqual(['updated', 'created']);
  });

  it('adds the customer contact by PATCH and answers with the actions it opens', async () => {
    const { body: deal } = await createAs(w.partner.sub);
    const at = { params: { id: deal.id }, sub: w.partner.sub };
    const contact = { name: 'Cy Buyer', phone: '+49 1', email: 'cy@tailspin.example' };
    const fixed = await invoke(update, {
      route: 'PATCH /v1/deals/{id}',
      ...at,
      body: { customer: { id: 'another', contact } },
    });
    expectProblem(fixed, 400);
    expect(fixed.body.errors.map((error: { path: string }) => error.path)).toEqual(['customer.id']);
    const edited = await invoke(update, {
      route: 'PATCH /v1/deals/{id}',
      ...at,
      body: { customer: { contact, consentToShareWithHost: true } },
    });
    expect(edited.status).toBe(200);
    expect(DealResponse.parse(edited.body).customer).toMatchObject({ contact, consentToShareWithHost: true });
    const read = await invoke(get, { route: 'GET /v1/deals/{id}', ...at });
    expect(read.body.customer.contact).toEqual(contact);
    expect(read.body.actions).toEqual([
      'edit',
      'change-stage',
      'close',
      'invite',
      'comment',
      'assign-owner',
      'favorite',
    ]);
  });

  it('refuses a lost close without a reason, naming the field', async () => {
    const { body: deal } = await createAs(w.partner.sub);
    const response = await invoke(close, {
      route: 'POST /v1/deals/{id}/close',
      params: { id: deal.id },
      sub: w.partner.sub,
      body: { outcome: 'lost' },
    });
    expectProblem(response, 400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(['reason']);
  });

  it("shows the invitee's history the inviting org by id and name only, never its user id or email", async () => {
    const { deal, received } = await w.invited(w.partner, w.other);
    const inviteeLog = await invoke(history, {
      route: 'GET /v1/deals/{id}/history',
      params: { id: received.id },
      sub: w.other.sub,
    });
    expect(inviteeLog.status).toBe(200);
    expect(HistoryPage.parse(inviteeLog.body).items.map((entry) => entry.actor)).toEqual([
      { orgId: w.partner.orgId, orgName: w.partner.orgName },
    ]);
    expect(JSON.stringify(inviteeLog.body)).not.toContain(w.partner.sub);
    expect(JSON.stringify(inviteeLog.body)).not.toContain(w.partner.email);

    // The inviter's own history names its own member.
    const inviterLog = await invoke(history, {
      route: 'GET /v1/deals/{id}/history',
      params: { id: deal.id },
      sub: w.partner.sub,
    });
    expect(inviterLog.body.items.at(-1).actor).toEqual({
      orgId: w.partner.orgId,
      orgName: w.partner.orgName,
      sub: w.partner.sub,
      email: w.partner.email,
    });
  });
});
