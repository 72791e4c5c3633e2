/**
 * Benchmark 7: how soon the deal page is interactive. Debian's Chromium (headless, driven by
 * playwright-core) opens `/deals/{id}` signed in, five times, and each time takes the time from the
 * navigation's start to the deal's controls being on screen. A measure, not a behaviour: reported
 * here, never asserted by `npm test`.
 */
import { chromium } from 'playwright-core';
import { buildConsole } from '#infra/local/console-build.ts';
import { DEMO } from '#infra/local/demo-data.ts';
import { dealBody, readDemo } from './endpoints.ts';
import type { BenchRuntime } from './lib/local.ts';
import { type Summary, summarize } from './lib/stats.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type DealPageResult = { samplesMs: number[]; summary: Summary };

export const benchDealPage = async (bench: BenchRuntime, runs: number): Promise<DealPageResult> => {
  await buildConsole();
  const demo = await readDemo(bench);
  const fabrikam = await bench.as(DEMO.fabrikam.admin.sub);
  const created = await fabrikam('POST', '/v1/deals', dealBody(demo));
  if (created.status !== 201) throw new Error(`creating the deal answered ${created.status}`);
  const dealId = (created.body as { id: string }).id;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args:
      process.getuid?.() === 0 ? ['--no-sandbox', '--disable-dev-shm-usage'] : ['--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const base = bench.runtime.url;
    await page.goto(`${base}/deals?view=outbound`);
    await page.waitForURL((url) => url.pathname === '/signin');
    await page.getByLabel('User').fill(DEMO.fabrikam.admin.sub);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/signin');
    const samplesMs: number[] = [];
    for (let run = 0; run < runs; run++) {
      await page.goto(`${base}/deals/${dealId}`);
      await page.getByRole('button', { name: 'Favorite' }).waitFor();
      samplesMs.push(await page.evaluate<number>('Math.round(performance.now())'));
    }
    return { samplesMs, summary: summarize(samplesMs) };
  } finally {
    await browser.close();
  }
};
