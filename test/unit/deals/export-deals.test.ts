import { beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS, exportRow, neutralizeFormula } from '#domain/deals/rules/export-rows.ts';
import {
  EXPORT_RETENTION_MS,
  exportFileName,
  getExport,
  runExport,
  startExport,
} from '#domain/deals/use-cases/export-deals.ts';
import { listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { removeMember } from '#domain/identity/members.ts';
import { NotFoundError, ValidationError } from '#domain/kernel/errors.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';
import type { MemoryDeps } from '#test/support/memory/deps.ts';

let w: DealWorld;
let deps: MemoryDeps;
beforeEach(async () => {
  w = await dealWorld();
  deps = w.deps;
});

const fileOf = (orgId: string, id: string) => deps.exportFiles.files.get(`${orgId}/${id}`);

describe('formula neutralization', () => {
  it.each(['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'prefixes %j with a quote',
    (text) => {
      expect(neutralizeFormula(text)).toBe(`'${text}`);
    },
  );

  it.each(['Acme', '', '1=1', "'quoted", ' =spaced', '2027-01-01'])('leaves %j as it is', (text) => {
    expect(neutralizeFormula(text)).toBe(text);
  });
});

describe('export rows', () => {
  it("maps a deal to the contract's columns in order, with the other orgs' names and the owner's email", async () => {
    const { deal } = await w.invited(w.partner, w.other);
    const [view] = (await listDeals(deps, w.partner, { tab: 'outbound' }, { limit: 10 })).items;
    expect(view?.deal.id).toBe(deal.id);
    const row = Object.fromEntries(EXPORT_COLUMNS.map((column, index) => [column, exportRow(view!)[index]]));
    expect(row).toEqual({
      id: deal.id,
      crmId: deal.crmId ?? '',
      name: deal.name,
      status: deal.status,
      direction: 'outbound',
      type: view!.type,
      location: deal.location,
      customerName: deal.customer.name,
      customerCountry: deal.customer.country,
      amount: String(deal.value.amount),
      currency: deal.value.currency,
      closeDate: deal.closeDate,
      stage: deal.stage,
      campaignId: deal.campaignId ?? '',
      // The creator answers for the deal (rules/owner.ts).
      owner: w.partner.email,
      partners: w.other.orgName,
      createdAt: deal.createdAt,
      updatedAt: deal.updatedAt,
    });
  });

  it('neutralizes every cell, whatever its column', async () => {
    await w.create(w.partner, { name: '=HYPERLINK("http://x")', crmId: '@crm' });
    const [view] = (await listDeals(deps, w.partner, {}, { limit: 10 })).items;
    const row = exportRow(view!);
    expect(row[EXPORT_COLUMNS.indexOf('name')]).toBe(`'=HYPERLINK("http://x")`);
    expect(row[EXPORT_COLUMNS.indexOf('crmId')]).toBe("'@crm");
  });
});

describe('exporting a deal list', () => {
  it('writes every page of the filtered list, the header first, and hands out the file only to its asker', async () => {
    for (let index = 0; index < 130; index++)
      await w.create(w.partner, { location: index % 2 ? 'DE' : 'FR' });
    const job = await startExport(deps, w.partner, { location: 'DE' });
    expect(job).toMatchObject({ status: 'running', rows: 0, orgId: w.partner.orgId, sub: w.partner.sub });
    expect(new Date(job.expiresAt).getTime() - new Date(job.createdAt).getTime()).toBe(EXPORT_RETENTION_MS);
    expect(deps.jobs.exports).toEqual([{ orgId: job.orgId, id: job.id }]);
    expect((await getExport(deps, w.partner, job.id)).download).toBeUndefined();

    const finished = await runExport(deps, job);
    expect(finished).toMatchObject({ status: 'ready', rows: 65 });
    const file = fileOf(job.orgId, job.id)!;
    expect(file[0]).toEqual([...EXPORT_COLUMNS]);
    expect(file).toHaveLength(66);
    expect(new Set(file.slice(1).map((row) => row[EXPORT_COLUMNS.indexOf('location')]))).toEqual(
      new Set(['DE']),
    );

    const ready = await getExport(deps, w.partner, job.id);
    expect(ready.download?.url).toContain(exportFileName(job));
    expect(exportFileName(job)).toMatch(/^deals-\d{4}-\d{2}-\d{2}\.csv$/);

    const colleague = await w.member(w.partner, 'colleague', ['referrals-admin']);
    await expect(getExport(deps, colleague, job.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getExport(deps, w.other, job.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is done once: a retried run leaves the finished job as it was', async () => {
    await w.create(w.partner);
    const job = await startExport(deps, w.partner, {});
    const first = await runExport(deps, job);
    await w.create(w.partner);
    const again = await runExport(deps, job);
    expect(again).toEqual(first);
    expect(fileOf(job.orgId, job.id)).toHaveLength(2);
  });

  it('exports only what a referral-user sees', async () => {
    const seller = await w.member(w.partner, 'seller', ['referral-user'], ['DE']);
    const mine = await w.create(w.partner, {
      team: [{ name: 'Seller', email: seller.email, phone: '+49 1' }],
    });
    await w.create(w.partner);
    const job = await startExport(deps, seller, {});
    await runExport(deps, job);
    expect(
      fileOf(job.orgId, job.id)
        ?.slice(1)
        .map((row) => row[0]),
    ).toEqual([mine.id]);
  });

  it('fails the export of a member removed before it ran, and writes no file', async () => {
    const colleague = await w.member(w.partner, 'colleague', ['referrals-admin']);
    const job = await startExport(deps, colleague, {});
    await removeMember(deps, w.partner, { email: colleague.email });
    expect(await runExport(deps, job)).toMatchObject({ status: 'failed' });
    expect(fileOf(job.orgId, job.id)).toBeUndefined();
  });

  it('refuses a filter no list answers, before storing anything', async () => {
    await expect(
      startExport(deps, w.partner, { tab: 'favorites', updatedSince: '2026-01-01T00:00:00.000Z' }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(deps.exports.jobs.size).toBe(0);
  });

  it('is not found once expired, even while its item outlives the TTL', async () => {
    const job = await startExport(deps, w.partner, {});
    w.setNow(new Date(new Date(job.expiresAt).getTime() + 1000).toISOString());
    await expect(getExport(deps, w.partner, job.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
