/**
 * The browser tier's harness: Debian's Chromium driven by playwright-core (Playwright's own browser
 * download is not used), an axe-core check of the page as it stands, and a screenshot of each page
 * kept under test-results/browser/ as a test artifact.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { REPO_ROOT } from '#infra/local/gateway.ts';

export const ARTIFACTS = join(REPO_ROOT, 'test-results', 'browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

export type BrowserHarness = {
  /**
   * A fresh context (own storage: signed out) with a page at `width`×`height`, in `locale` when given
   * (the browser's language, which the console's money and percentages follow).
   */
  page: (viewport?: { width: number; height: number }, options?: { locale?: string }) => Promise<Page>;
};

/** One Chromium for the calling test file; every page gets its own context, closed after the file. */
export const useBrowser = (): BrowserHarness => {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Root in a container has no user namespace for Chromium's sandbox.
      args:
        process.getuid?.() === 0 ? ['--no-sandbox', '--disable-dev-shm-usage'] : ['--disable-dev-shm-usage'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
  });
  return {
    page: async (viewport = { width: 1280, height: 900 }, options = {}) => {
      if (!browser) throw new Error('The browser is not running yet: use it inside tests or hooks.');
      const context = await browser.newContext({
        viewport,
        ...(options.locale ? { locale: options.locale } : {}),
      });
      // Generous: each API function's first request starts its worker, slow on a busy 2-CPU machine.
      context.setDefaultTimeout(60_000);
      contexts.push(context);
      return context.newPage();
    },
  };
};

type AxeResult = {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
};

/** axe-core on the page as it stands: no serious or critical violation. */
export const expectAccessible = async (page: Page, what: string): Promise<void> => {
  // Evaluated through the DevTools protocol, which the console's Content-Security-Policy (no inline
  // script) does not govern, so the page is checked under the very policy it is served with.
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(axeSource);
  const result = await page.evaluate<AxeResult>('axe.run(document)');
  const serious = result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
    );
  expect(serious, `accessibility of ${what}`).toEqual([]);
};

export const screenshot = async (page: Page, name: string): Promise<void> => {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
};

/** Every page of the console gets both checks. */
export const checkPage = async (page: Page, name: string): Promise<void> => {
  await expectAccessible(page, name);
  await screenshot(page, name);
};

/** Signs in on /signin (where a signed-out visit lands) and waits to leave it. */
export const signIn = async (page: Page, sub: string): Promise<void> => {
  await page.getByLabel('User').fill(sub);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/signin');
};

export const dialog = (page: Page) => page.getByRole('dialog');

/** Clicks the dialog's confirm button; the dialog closes, or the test fails with the problem it shows. */
export const confirm = async (page: Page, name: string): Promise<void> => {
  await dialog(page).getByRole('button', { name, exact: true }).click();
  const outcome = await Promise.race([
    dialog(page)
      .waitFor({ state: 'detached' })
      .then(() => 'closed'),
    dialog(page)
      .getByRole('alert')
      .waitFor()
      .then(() => 'problem'),
  ]);
  if (outcome === 'problem') {
    const fields = await dialog(page).locator('.field-error').allTextContents();
    throw new Error(`${name}: ${await dialog(page).getByRole('alert').textContent()} ${fields.join(' ')}`);
  }
};
