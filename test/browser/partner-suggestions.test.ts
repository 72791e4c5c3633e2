/**
 * The invite dialog's suggested partners in Chromium against the local runtime: a partner that
 * accepted a deal like this one is suggested with its reasons and solutions, and one click invites
 * it. The partner search stays below. (The order itself is the e2e tier's: this tier's other files
 * answer invitations in the same runtime at the same time, which moves other orgs up and down.)
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fabrikamDealBody, useLocalRuntime } from '#test/support/local-runtime.ts';
import { checkPage, signIn, useBrowser } from './browser.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;
const browser = useBrowser();

const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);
const adatum = () => local.api.as(ORGS.adatum.admin.sub);

/** A location no other file's deals use, so Adatum's answer is what makes it a similar-deal suggestion. */
const LOCATION = 'IE';

const dealOfFabrikam = async (name: string, invite?: unknown) => {
  const created = await fabrikam().post(
    '/v1/deals',
    fabrikamDealBody(await local.demo(), {
      name,
      location: LOCATION,
      closeDate: '2027-06-30',
      ...(invite ? { invite } : {}),
    }),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; engagementId: string };
};

const dialog = (page: Page) => page.getByRole('dialog');

describe('suggested partners in the invite dialog', () => {
  it('shows a partner that accepts deals like this one with its reasons, and invites it with one click', async () => {
    const demo = await local.demo();
    // Adatum accepted an earlier deal in the same location with the same solution.
    const earlier = await dealOfFabrikam('Suggested: earlier deal', {
      partners: [{ orgId: demo.orgIds.adatum, helpType: 'technical' }],
    });
    const inbound = await adatum().get('/v1/deals?view=inbound&status=received&limit=100');
    const received = inbound.body.items.find(
      (item: { engagementId: string }) => item.engagementId === earlier.engagementId,
    );
    const accepted = await adatum().post(`/v1/deals/${received.id}/accept`, {
      team: [{ name: ORGS.adatum.admin.name, email: ORGS.adatum.admin.email, phone: '+33 1 555' }],
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);

    const DEAL = 'Suggested: new deal';
    const deal = await dealOfFabrikam(DEAL);
    const page = await browser.page();
    await page.goto(`${local.url}/deals/${deal.id}`);
    await page.waitForURL((url) => url.pathname === '/signin');
    await signIn(page, ORGS.fabrikam.admin.sub);
    await page.getByRole('heading', { level: 1, name: DEAL }).waitFor();

    await page.getByRole('button', { name: 'Invite' }).click();
    const suggestions = dialog(page).getByRole('list', { name: 'Suggested partners' });
    const suggested = suggestions.locator(':scope > li').filter({ hasText: ORGS.adatum.name });
    await suggested.getByText(ORGS.adatum.name, { exact: true }).waitFor();
    await suggested.getByText(/Usually accepts deals like this one/).waitFor();
    await suggested.getByText(/Offers Adatum Secure Workplace/).waitFor();
    // The partner search is still there for anyone else.
    await dialog(page).getByLabel('Partner search').waitFor();
    await checkPage(page, 'dialog-invite-suggestions');

    await suggested.getByRole('button', { name: `Invite ${ORGS.adatum.name}`, exact: true }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByText(`${ORGS.adatum.name} (partner)`).waitFor();
    const after = await fabrikam().get(`/v1/deals/${deal.id}`);
    expect(
      after.body.participants.find((p: { orgId: string }) => p.orgId === demo.orgIds.adatum)?.status,
    ).toBe('received');
  });
});
