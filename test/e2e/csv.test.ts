/**
 * CSV export over HTTP: Fabrikam's admin asks for an export of a filtered list, the export function
 * writes it in the background (its own worker, invoked as Lambda invokes it), and the file
 * downloaded from its presigned URL parses back to exactly the deals the list shows, with a name
 * that is a formula neutralized. Only the asker sees the export. Each list source (a tab, one status,
 * the delta sync, a CRM id, the favorites) exports what the list shows.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '#domain/deals/rules/export-rows.ts';
import { type ApiClient, fabrikamDealBody, useLocalRuntime } from '#test/support/local-runtime.ts';
import { expectProblem } from '#test/support/problem.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;
const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);

type Row = Record<(typeof EXPORT_COLUMNS)[number], string>;

/** Starts an export as `client`, waits until it is ready, and answers it with its file's rows. */
const exported = async (client: ApiClient, filter: Record<string, unknown>) => {
  const started = await client.post('/v1/deals/exports', filter);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.body).toMatchObject({ status: 'running', rows: 0 });
  expect(started.headers.location).toBe(`/v1/deals/exports/${started.body.id}`);
  const ready = await local.eventually(`export ${started.body.id}`, async () => {
    const status = await client.get(`/v1/deals/exports/${started.body.id}`);
    expect(status.status).toBe(200);
    expect(status.body.status).not.toBe('failed');
    return status.body.status === 'ready' ? status.body : undefined;
  });
  const download = await fetch(ready.downloadUrl);
  expect(download.status).toBe(200);
  const disposition = download.headers.get('content-disposition') ?? '';
  expect(disposition).toContain(`deals-${new Date().toISOString().slice(0, 10)}.csv`);
  const bytes = Buffer.from(await download.arrayBuffer());
  // RFC 4180: CRLF line ends; a byte-order mark so spreadsheets read UTF-8.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  expect(text).toContain('\r\n');
  const [header, ...rows] = parse(text, { bom: true }) as string[][];
  expect(header).toEqual([...EXPORT_COLUMNS]);
  expect(rows).toHaveLength(ready.rows);
  return {
    id: started.body.id as string,
    rows: rows.map((cells) => Object.fromEntries(EXPORT_COLUMNS.map((name, i) => [name, cells[i]])) as Row),
  };
};

/** Every deal of a list query, all pages. */
const listed = async (client: ApiClient, query: string) => {
  const items: { id: string; name: string; status: string }[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.get(`/v1/deals?${query}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
};

describe('CSV export', () => {
  it('writes exactly the filtered list, neutralizes formulas, and shows the export only to its asker', async () => {
    const demo = await local.demo();
    const create = async (overrides: Record<string, unknown>) => {
      const created = await fabrikam().post('/v1/deals', fabrikamDealBody(demo, overrides));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body as { id: string; updatedAt: string };
    };
    const formula = await create({ name: '=HYPERLINK("http://x")', campaignId: 'csv-campaign' });
    await create({ name: 'Quoted, "comma" deal', campaignId: 'csv-campaign' });
    await create({ name: 'Ünïcödé deal', location: 'AT', campaignId: 'csv-campaign' });
    const crm = await create({ name: 'CRM deal', crmId: 'CSV-CRM-1' });

    const { id, rows } = await exported(fabrikam(), { campaignId: 'csv-campaign', location: 'DE' });
    const expected = await listed(fabrikam(), 'campaignId=csv-campaign&location=DE');
    expect(rows.map((row) => row.id)).toEqual(expected.map((deal) => deal.id));
    expect(rows.map((row) => row.name).sort()).toEqual([`'=HYPERLINK("http://x")`, 'Quoted, "comma" deal']);
    expect(rows.find((row) => row.id === formula.id)).toMatchObject({
      status: 'accepted',
      direction: 'outbound',
      location: 'DE',
      customerName: 'Alpine Ski House',
      amount: '120000',
      currency: 'EUR',
      campaignId: 'csv-campaign',
      partners: '',
    });

    // Nobody else sees it: not a colleague, not another org.
    expectProblem(await local.api.as(ORGS.fabrikam.referrals.sub).get(`/v1/deals/exports/${id}`), 404);
    expectProblem(await local.api.as(ORGS.northwind.admin.sub).get(`/v1/deals/exports/${id}`), 404);

    // Every source of the list exports what the list shows.
    const byStatus = await exported(fabrikam(), { status: 'accepted', campaignId: 'csv-campaign' });
    expect(byStatus.rows).toHaveLength(3);
    // Oldest change first, up to the sync horizon (changes of the last seconds are not settled yet):
    // a later read may only add settled changes after.
    const first = '2000-01-01T00:00:00.000Z';
    const delta = await exported(fabrikam(), { updatedSince: first });
    const later = await listed(fabrikam(), `updatedSince=${encodeURIComponent(first)}`);
    expect(later.slice(0, delta.rows.length).map((deal) => deal.id)).toEqual(delta.rows.map((row) => row.id));
    // The caller's own deals: the owner list.
    const mine = await exported(fabrikam(), { owner: 'me' });
    expect(mine.rows.map((row) => row.id)).toEqual(
      (await listed(fabrikam(), 'owner=me')).map((deal) => deal.id),
    );
    expect(mine.rows.map((row) => row.id)).toContain(formula.id);
    const byCrmId = await exported(fabrikam(), { crmId: 'CSV-CRM-1' });
    expect(byCrmId.rows.map((row) => [row.id, row.crmId])).toEqual([[crm.id, 'CSV-CRM-1']]);
    expect((await fabrikam().put(`/v1/deals/${crm.id}/favorite`)).status).toBeLessThan(300);
    const favorites = await exported(fabrikam(), { view: 'favorites' });
    expect(favorites.rows.map((row) => row.id)).toEqual([crm.id]);
  });

  it('refuses a filter no list answers, and an unknown field', async () => {
    expectProblem(
      await fabrikam().post('/v1/deals/exports', { view: 'favorites', updatedSince: '2026-01-01T00:00:00Z' }),
      400,
    );
    expectProblem(await fabrikam().post('/v1/deals/exports', { limit: 5 }), 400);
    expectProblem(await fabrikam().get('/v1/deals/exports/01ARZ3NDEKTSV4RRFFQ69G5FAV'), 404);
  });
});
