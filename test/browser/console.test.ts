/**
 * The web console end to end in Chromium against the local runtime: sign-in with a deep link, the
 * tabs, the create wizard (with a problem+json error shown at its field), an invitation email's
 * link opened signed out and accepted, a decline, stage, edit, close as won, Register now and the
 * host's review, favorites, the deal's owner picker and My deals, the pipeline chart, the users
 * page and its edit dialog, and `/join`
 * where a person nobody's member yet chooses an invitation. Every page passes axe-core and is
 * screenshotted.
 * Each test makes the deals it starts from over the API, so any one of them runs alone.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiClient,
  fabrikamDealBody,
  useLocalRuntime,
  wonCoSellDeal,
} from '#test/support/local-runtime.ts';
import { checkPage, confirm, dialog, screenshot, signIn, useBrowser } from './browser.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;
const browser = useBrowser();

const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);

/** A deal of Fabrikam made over the API (Alpine Ski House, Contoso Data Platform) with these invitations. */
const dealOfFabrikam = async (
  name: string,
  invite: unknown,
): Promise<{ id: string; engagementId: string }> => {
  const created = await fabrikam().post(
    '/v1/deals',
    fabrikamDealBody(await local.demo(), { name, closeDate: '2027-06-30', invite }),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
};

/** The invitee's own deal of the engagement, accepted with `body`; returns its id. */
const acceptAs = async (client: ApiClient, engagementId: string, body: unknown = {}): Promise<string> => {
  const inbound = await client.get('/v1/deals?view=inbound&status=received&limit=100');
  const deal = inbound.body.items.find(
    (item: { engagementId: string }) => item.engagementId === engagementId,
  );
  expect(deal, `no invitation of engagement ${engagementId}`).toBeDefined();
  expect((await client.post(`/v1/deals/${deal.id}/accept`, body)).status).toBe(200);
  return deal.id;
};

const northwindTeam = {
  team: [{ name: ORGS.northwind.admin.name, email: ORGS.northwind.admin.email, phone: '+1 206 555 0100' }],
};

/** A signed-in page for `sub`, opened at `path` (signed out first, so this also walks the sign-in). */
const openAs = async (
  sub: string,
  path: string,
  viewport?: { width: number; height: number },
): Promise<Page> => {
  const page = await browser.page(viewport);
  await page.goto(`${local.url}${path}`);
  await page.waitForURL((url) => url.pathname === '/signin');
  await signIn(page, sub);
  return page;
};

const status = (page: Page) => page.locator('.summary .status');

/** Adds a comment on the open deal page; it shows in the list, or the test fails with the problem shown. */
const addComment = async (page: Page, text: string, visibility: 'engagement' | 'org'): Promise<void> => {
  await page.getByLabel('Comment', { exact: true }).fill(text);
  await page.getByLabel('Visible to').selectOption(visibility);
  await page.getByRole('button', { name: 'Add comment' }).click();
  // A message from an earlier attempt goes as this one is sent.
  await page.locator('.comment-form .field-error').waitFor({ state: 'detached' });
  const outcome = await Promise.race([
    page
      .locator('.comments')
      .getByText(text)
      .waitFor()
      .then(() => 'shown'),
    page
      .locator('.comment-form :is(.field-error, [role="alert"])')
      .first()
      .waitFor()
      .then(() => 'problem'),
  ]);
  if (outcome === 'problem') {
    await screenshot(page, 'comment-problem');
    throw new Error(`comment: ${await page.locator('.comment-form').textContent()}`);
  }
};

describe('web console', () => {
  // Starts the workers of the routes the pages read first, so no step waits on several cold starts.
  beforeAll(async () => {
    for (const path of [
      '/v1/me',
      '/v1/deals?view=inbound',
      '/v1/customers?country=DE&q=a',
      '/v1/partners?q=a',
      '/v1/solutions?owner=mine',
      '/v1/contacts/recent',
      '/v1/reports/pipeline',
      '/v1/org/users',
    ])
      expect((await fabrikam().get(path)).status).toBe(200);
  });

  it('sends a signed-out visitor to sign in and back to the page they opened', async () => {
    const page = await browser.page();
    await page.goto(`${local.url}/deals?view=outbound`);
    await page.waitForURL((url) => url.pathname === '/signin');
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/deals?view=outbound');
    await checkPage(page, 'signin');

    await signIn(page, ORGS.fabrikam.admin.sub);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/deals?view=outbound');
    await expect
      .poll(() => page.getByRole('tab', { name: 'Outbound' }).getAttribute('aria-selected'))
      .toBe('true');
    for (const tab of ['Inbound', 'Outbound', 'Favorites'])
      await page.getByRole('tab', { name: tab }).waitFor();
    await checkPage(page, 'tabs-outbound');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/signin');
  });

  it('creates a deal with the wizard, refusing an empty value on its step and showing the API’s error at its field', async () => {
    const DEAL = 'Alpine data platform rollout';
    const page = await openAs(ORGS.fabrikam.admin.sub, '/deals?view=outbound');
    await page.getByRole('button', { name: 'New deal' }).click();
    await page.waitForURL((url) => url.pathname === '/deals/new');

    await page.getByLabel('Country').selectOption('DE');
    await page.getByLabel('Customer', { exact: true }).fill('Alp');
    await page.getByRole('button', { name: 'Alpine Ski House' }).click();
    await expect.poll(() => page.getByText('D-U-N-S 314159265').count()).toBeGreaterThan(0);
    await page.getByLabel('Contact name').fill('Anna Alpine');
    await page.getByLabel('Contact email').fill('anna@alpine.example');
    await page.getByLabel('Contact phone').fill('+49 89 123456');
    await page.getByLabel(/consents to sharing/).check();
    await checkPage(page, 'new-deal-customer');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Deal name').fill(DEAL);
    // Next checks the step by the API's own schema: an empty value is refused here, in a sentence.
    await page.getByRole('button', { name: 'Next' }).click();
    const value = page.getByLabel('Value');
    await expect.poll(() => value.getAttribute('aria-invalid')).toBe('true');
    await page.getByText("Enter the deal's estimated value.").first().waitFor();
    await page.getByText('Enter the expected close date.').first().waitFor();
    await page.getByRole('heading', { level: 2, name: 'Details' }).waitFor();
    await checkPage(page, 'new-deal-details-refused');
    await value.fill('250000');
    // A past close date passes the schema: only the API can say it, at `closeDate`.
    await page.getByLabel('Close date').fill('2020-06-30');
    await checkPage(page, 'new-deal-details');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('button', { name: 'Add team member' }).click();
    await page.getByLabel('Member 1 name').fill(ORGS.fabrikam.admin.name);
    await page.getByLabel('Member 1 email').fill(ORGS.fabrikam.admin.email);
    await page.getByLabel('Member 1 phone').fill('+49 30 555');
    await checkPage(page, 'new-deal-team');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('group', { name: 'Your solutions' }).getByLabel('Fabrikam Analytics Suite').check();
    await page.getByLabel(/Contoso Data Platform/).check();
    await checkPage(page, 'new-deal-solutions');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Host help type').selectOption('architecture');
    await page.getByLabel('Partner search').fill(ORGS.northwind.name);
    await page.getByRole('button', { name: `Add ${ORGS.northwind.name}`, exact: true }).click();
    await page.getByLabel(`Help type for ${ORGS.northwind.name}`).selectOption('technical');
    await checkPage(page, 'new-deal-invite');
    await page.getByRole('button', { name: 'Create deal' }).click();

    // Back on the details step, the message sits at the close date field.
    const closeDate = page.getByLabel('Close date');
    await expect.poll(() => closeDate.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await closeDate.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).not.toBe('');
    await checkPage(page, 'new-deal-error');

    await closeDate.fill('2027-06-30');
    for (let step = 0; step < 3; step++) await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Create deal' }).click();
    await page.getByRole('heading', { level: 1, name: DEAL }).waitFor();
    expect(await status(page).textContent()).toBe('Accepted');
    expect(await page.getByText(`${ORGS.northwind.name} (partner)`).count()).toBe(1);
  });

  it('opens the invitation email’s link signed out, signs in and accepts the deal', async () => {
    const DEAL = 'Alpine analytics pilot';
    await dealOfFabrikam(DEAL, {
      partners: [{ orgId: (await local.demo()).orgIds.northwind, helpType: 'technical' }],
    });
    // Chromium shares the machine with the runtime here: a longer deadline than the e2e tier's.
    const email = await local.eventually(
      'the invitation email to Northwind',
      async () =>
        (await local.emails()).find(
          (candidate) =>
            candidate.destination.to.includes(ORGS.northwind.admin.email) && candidate.subject.includes(DEAL),
        ),
      60_000,
    );
    const link = /https?:\/\/[^\s"<>]+\/deals\/[^\s"<>]+/.exec(email.body.text ?? email.body.html ?? '')?.[0];
    expect(link).toBeDefined();
    expect(link?.startsWith(local.url)).toBe(true);
    expect(new URL(link ?? '').searchParams.get('action')).toBe('accept');

    const page = await browser.page();
    await page.goto(link ?? '');
    await page.waitForURL((url) => url.pathname === '/signin');
    await signIn(page, ORGS.northwind.admin.sub);
    expect(new URL(page.url()).pathname).toBe(new URL(link ?? '').pathname);
    await page.getByRole('heading', { level: 1, name: DEAL }).waitFor();
    expect(await status(page).textContent()).toBe('Received');
    // The link opens the invitation with its Accept dialog up.
    await dialog(page).waitFor();
    // Focus moved into the dialog.
    expect(await page.evaluate('document.activeElement?.closest("dialog") !== null')).toBe(true);
    await checkPage(page, 'dialog-accept');
    await page.getByLabel('CRM id').fill('NW-OPP-7');
    await page.getByRole('button', { name: 'Add team member' }).click();
    await page.getByLabel('Member 1 name').fill(ORGS.northwind.admin.name);
    await page.getByLabel('Member 1 email').fill(ORGS.northwind.admin.email);
    await page.getByLabel('Member 1 phone').fill('+1 206 555 0100');
    await confirm(page, 'Accept');
    await expect.poll(() => status(page).textContent()).toBe('Accepted');
    expect(await dialog(page).count()).toBe(0);
  });

  it('lets the host accept from its Inbound tab', async () => {
    const DEAL = 'Alpine architecture review';
    await dealOfFabrikam(DEAL, { host: { helpType: 'architecture' } });
    const page = await openAs(ORGS.host.admin.sub, '/');
    await page.waitForURL((url) => url.pathname === '/deals');
    await page.getByRole('link', { name: DEAL }).click();
    await page.getByRole('heading', { level: 1, name: DEAL }).waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await confirm(page, 'Accept');
    await expect.poll(() => status(page).textContent()).toBe('Accepted');
  });

  it('declines an invitation with a reason', async () => {
    const { customers, solutions, orgIds } = await local.demo();
    const created = await fabrikam().post('/v1/deals', {
      customer: { id: customers['Alpine Ski House'] },
      name: 'Deal Adatum declines',
      location: 'DE',
      value: { amount: 1000, currency: 'EUR' },
      closeDate: '2027-01-31',
      team: [{ name: ORGS.fabrikam.admin.name, email: ORGS.fabrikam.admin.email, phone: '+49 30 555' }],
      solutions: [solutions['Fabrikam Analytics Suite']],
      invite: { partners: [{ orgId: orgIds.adatum, helpType: 'general' }] },
    });
    expect(created.status).toBe(201);
    const page = await openAs(ORGS.adatum.admin.sub, '/deals?view=inbound&status=received');
    await page.getByRole('link', { name: 'Deal Adatum declines' }).click();
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByLabel('Reason').selectOption('no-capacity');
    await page.getByLabel('Notes').fill('Fully booked this quarter.');
    await checkPage(page, 'dialog-decline');
    await confirm(page, 'Decline');
    await expect.poll(() => status(page).textContent()).toBe('Declined');
  });

  it('moves the stage, edits, closes as won and registers; the host approves from its review queue', async () => {
    // A co-sell deal the host and Northwind have accepted, as the wizard's deal ends up.
    const DEAL = 'Alpine lakehouse rollout';
    const deal = await dealOfFabrikam(DEAL, {
      host: { helpType: 'architecture' },
      partners: [{ orgId: (await local.demo()).orgIds.northwind, helpType: 'technical' }],
    });
    const hostDealId = await acceptAs(local.api.as(ORGS.host.admin.sub), deal.engagementId);
    await acceptAs(local.api.as(ORGS.northwind.admin.sub), deal.engagementId, northwindTeam);

    const page = await openAs(ORGS.fabrikam.admin.sub, `/deals/${deal.id}`);
    await page.getByRole('heading', { level: 1, name: DEAL }).waitFor();
    await checkPage(page, 'deal-accepted');

    await page.getByRole('button', { name: 'Change stage' }).click();
    await page.getByLabel('Proposed (60%)').check();
    await checkPage(page, 'dialog-stage');
    await confirm(page, 'Change stage');
    await expect
      .poll(() => page.locator('.stagebar [aria-current="step"]').textContent())
      .toContain('Proposed');

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await dialog(page).getByLabel('Notes').fill('Customer wants a pilot in Q2.');
    await checkPage(page, 'dialog-edit');
    await confirm(page, 'Save');
    await page.getByText('Customer wants a pilot in Q2.', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Invite' }).click();
    await dialog(page).getByLabel('Partner search').fill(ORGS.adatum.name);
    await dialog(page)
      .getByRole('button', { name: `Add ${ORGS.adatum.name}`, exact: true })
      .click();
    await checkPage(page, 'dialog-invite');
    await confirm(page, 'Invite');
    await page.getByText(`${ORGS.adatum.name} (partner)`).waitFor();

    // Each participant's team is shown; an invitation not yet answered can be withdrawn.
    await page
      .getByRole('list', { name: `Team of ${ORGS.northwind.name}` })
      .getByText(ORGS.northwind.admin.email)
      .waitFor();
    await page.getByRole('button', { name: `Withdraw the invitation of ${ORGS.adatum.name}` }).click();
    await dialog(page).waitFor();
    await checkPage(page, 'dialog-withdraw');
    await confirm(page, 'Withdraw');
    await expect
      .poll(() =>
        page.locator('.participants > li', { hasText: ORGS.adatum.name }).locator('.status').textContent(),
      )
      .toBe('Withdrawn');

    // Comments: the API's refusal of an empty one shows at its field; the newest comes first.
    await page.getByRole('button', { name: 'Add comment' }).click();
    const commentField = page.getByLabel('Comment', { exact: true });
    // Waited for by its message (the comment route's first call starts its worker).
    await page.locator('.comment-form .field-error').waitFor();
    expect(await commentField.getAttribute('aria-invalid')).toBe('true');
    await addComment(page, 'Kick-off with the customer on Monday.', 'engagement');
    await addComment(page, 'Internal: keep the discount under 10%.', 'org');
    const comments = page.locator('.comments > li');
    expect(await comments.first().textContent()).toContain('Internal: keep the discount under 10%.');
    expect(await comments.nth(1).textContent()).toContain(`(${ORGS.fabrikam.name})`);
    await checkPage(page, 'deal-comments');

    await page.getByRole('button', { name: 'Close deal' }).click();
    await page.getByLabel('Lost').check();
    await checkPage(page, 'dialog-close');
    await page.getByLabel('Won').check();
    await confirm(page, 'Close deal');
    await expect.poll(() => status(page).textContent()).toBe('Won');

    await page.getByRole('button', { name: 'Register now' }).click();
    await page.getByLabel(/signed the contract/).check();
    await dialog(page).getByLabel('Contract value').fill('240000');
    await dialog(page).getByLabel('Contract date').fill('2027-06-15');
    await dialog(page).getByLabel('Purchase order').fill('PO-4711');
    await dialog(page)
      .getByLabel('Attachments')
      .setInputFiles({
        name: 'signed-contract.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n% signed contract\n%%EOF\n'),
      });
    await checkPage(page, 'dialog-register');
    await confirm(page, 'Register now');
    await page.getByText('Registration status: Submitted').waitFor();
    await checkPage(page, 'deal-won');
    // The host's reviewers are told, with a link to the host's own deal.
    await local.eventually(
      'the review email to the host',
      async () =>
        (await local.emails()).find(
          (email) =>
            email.destination.to.includes(ORGS.host.admin.email) &&
            email.subject === `Registration submitted for your review: ${DEAL}`,
        ),
      60_000,
    );

    // The queue shows the evidence and its files inline.
    const host = await openAs(ORGS.host.admin.sub, '/review');
    await host.getByRole('link', { name: DEAL }).waitFor();
    const queued = host.locator('article', { hasText: DEAL });
    await queued.getByText('PO-4711').waitFor();
    await queued.getByRole('button', { name: 'Download signed-contract.pdf' }).waitFor();
    await checkPage(host, 'review-queue');
    await queued.getByLabel(`Message to ${ORGS.fabrikam.name}`).fill('Please add the signed order form.');
    await queued.getByRole('button', { name: 'Action required' }).click();
    // What follows is clear: the message sent, and who acts next.
    await queued.getByText(`Waiting for ${ORGS.fabrikam.name} to act`).waitFor();
    await queued.getByText('Please add the signed order form.').waitFor();
    expect(await queued.getByRole('button', { name: 'Action required' }).count()).toBe(0);
    await checkPage(host, 'review-action-required');

    // The partner reads the message and resubmits from what it sent, its file kept.
    await page.reload();
    await page.getByText('Registration status: Action required').waitFor();
    // The registration's own messages; the history may name the same text as a change.
    const registration = page.getByRole('region', { name: 'Registration', exact: true });
    await registration.getByText('Please add the signed order form.').waitFor();
    await page.getByRole('button', { name: 'Register now' }).click();
    expect(await dialog(page).getByLabel('Purchase order').inputValue()).toBe('PO-4711');
    expect(await dialog(page).getByLabel('Keep signed-contract.pdf').isChecked()).toBe(true);
    await dialog(page)
      .getByLabel('More attachments')
      .setInputFiles({
        name: 'order-form.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n% order form\n%%EOF\n'),
      });
    await checkPage(page, 'dialog-register-again');
    await confirm(page, 'Register now');
    await page.getByText('Registration status: Submitted').waitFor();

    await host.reload();
    await queued.getByRole('button', { name: 'Download order-form.pdf' }).waitFor();
    await queued.getByRole('button', { name: 'Download signed-contract.pdf' }).waitFor();
    await queued.getByLabel(`Message to ${ORGS.fabrikam.name}`).fill('Looks good, thank you.');
    await queued.getByRole('button', { name: 'Approve' }).click();
    await checkPage(host, 'dialog-approve');
    await confirm(host, 'Approve');
    await host.getByText('Nothing waits for a review.').waitFor();

    await page.reload();
    await page.getByText('Registration status: Approved').waitFor();
    await registration.getByText('Looks good, thank you.').waitFor();

    // The host's deal shows the submission, and its file downloads through a fresh URL.
    await host.goto(`${local.url}/deals/${hostDealId}`);
    await host.getByRole('heading', { name: 'Registration submissions' }).waitFor();
    await host.getByText('PO-4711').waitFor();
    await checkPage(host, 'deal-host-submissions');
    const [download] = await Promise.all([
      host.waitForEvent('download'),
      host.getByRole('button', { name: 'Download signed-contract.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('signed-contract.pdf');
  });

  it('upgrades a partner-to-partner deal to co-sell and edits its solutions; the inbound side offers neither', async () => {
    const DEAL = 'Alpine upgrade to co-sell';
    const demo = await local.demo();
    // Created without a customer contact, with Northwind invited: partner-to-partner.
    const created = await fabrikam().post(
      '/v1/deals',
      fabrikamDealBody(demo, {
        name: DEAL,
        closeDate: '2027-06-30',
        customer: { id: demo.customers['Alpine Ski House'] },
        invite: { partners: [{ orgId: demo.orgIds.northwind, helpType: 'technical' }] },
      }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const northwindDealId = await acceptAs(
      local.api.as(ORGS.northwind.admin.sub),
      created.body.engagementId,
      northwindTeam,
    );

    const page = await openAs(ORGS.fabrikam.admin.sub, `/deals/${created.body.id}`);
    await page.getByRole('heading', { level: 1, name: DEAL }).waitFor();
    // The host cannot be invited yet, and the dialog says what to do about it.
    await page.getByRole('button', { name: 'Invite' }).click();
    await dialog(page).getByText('first add the customer contact').waitFor();
    expect(await dialog(page).getByLabel('Host help type').count()).toBe(0);
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await dialog(page).getByLabel('Contact name').fill('Ina Buyer');
    await dialog(page).getByLabel('Contact email').fill('ina@alpineskihouse.example');
    await dialog(page).getByLabel('Contact phone').fill('+49 89 1');
    await dialog(page)
      .getByLabel(/consents to sharing/)
      .check();
    await checkPage(page, 'dialog-edit-contact');
    await confirm(page, 'Save');
    await page.getByText('Ina Buyer · ina@alpineskihouse.example').waitFor();

    await page.getByRole('button', { name: 'Invite' }).click();
    await dialog(page).getByLabel('Host help type').selectOption('architecture');
    await confirm(page, 'Invite');
    await page.getByText(`${ORGS.host.name} (host)`).waitFor();
    await page.locator('.details').getByText('Co-sell').waitFor();

    await page.getByRole('button', { name: 'Edit solutions' }).click();
    await dialog(page)
      .getByRole('group', { name: 'Your solutions' })
      .getByLabel('Fabrikam Analytics Suite')
      .check();
    await checkPage(page, 'dialog-solutions');
    await confirm(page, 'Save solutions');
    await page.getByRole('list', { name: 'Solutions' }).getByText('Fabrikam Analytics Suite').waitFor();
    await page.getByRole('list', { name: 'Solutions' }).getByText('Contoso Data Platform').waitFor();

    // Northwind's inbound deal: the host is invited by Fabrikam, so Northwind may neither invite nor withdraw.
    const northwind = await openAs(ORGS.northwind.admin.sub, `/deals/${northwindDealId}`);
    await northwind.getByRole('heading', { level: 1, name: DEAL }).waitFor();
    await northwind.getByText(`${ORGS.host.name} (host)`).waitFor();
    await northwind.getByRole('button', { name: 'Change stage' }).waitFor();
    expect(await northwind.getByRole('button', { name: 'Invite' }).count()).toBe(0);
    expect(await northwind.getByRole('button', { name: /^Withdraw/ }).count()).toBe(0);
    await checkPage(northwind, 'deal-inbound-no-invite');
  });

  it('stars a deal into Favorites, shows the history, the pipeline chart and the users page', async () => {
    const DEAL = 'Alpine favorite';
    const { dealId } = await wonCoSellDeal(local, DEAL);
    const page = await openAs(ORGS.fabrikam.admin.sub, `/deals/${dealId}`);
    await page.getByRole('heading', { level: 1, name: DEAL }).waitFor();
    // The star turns at once (optimistic); the test waits for the API to have stored it.
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/favorite') && response.status() === 204),
      page.getByRole('button', { name: 'Favorite' }).click(),
    ]);
    await expect
      .poll(() => page.getByRole('button', { name: 'Favorite' }).getAttribute('aria-pressed'))
      .toBe('true');
    // The timeline shows every entry of the deal's history, as the API has it.
    const history = (await fabrikam().get(`/v1/deals/${dealId}/history?limit=100`)).body.items;
    expect(history.length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.locator('.timeline li').count()).toBe(history.length);

    await page.goto(`${local.url}/deals?view=favorites`);
    await page.getByRole('link', { name: DEAL }).waitFor();
    await checkPage(page, 'tabs-favorites');

    await page.goto(`${local.url}/deals?view=outbound`);
    await page.getByRole('link', { name: DEAL }).waitFor();
    await checkPage(page, 'tabs-outbound-deals');
    // Each filter is waited for by what only it can show (the previous page stays up while loading).
    await page.getByLabel('Status').selectOption('declined');
    await page.getByText('No deals here.').waitFor();
    // The closed view asks for every final status at once.
    await Promise.all([
      page.waitForRequest(
        (request) =>
          new URL(request.url()).searchParams.get('status') === 'won,lost,declined,expired,withdrawn,closed',
      ),
      page.getByLabel('Status').selectOption({ label: 'Closed' }),
    ]);
    await page.getByRole('link', { name: DEAL }).waitFor();
    // The customer search is the API's `customer=` filter, not a filter of the page loaded.
    await page.getByLabel('Customer').fill('no such customer');
    await page.getByText('No deals here.').waitFor();
    await Promise.all([
      page.waitForResponse(
        (response) => new URL(response.url()).searchParams.get('customer') === 'alpine' && response.ok(),
      ),
      page.getByLabel('Customer').fill('alpine'),
    ]);
    await page.getByRole('link', { name: DEAL }).waitFor();

    await page.getByRole('link', { name: 'Pipeline' }).click();
    await page.getByRole('img', { name: /Deals by status/ }).waitFor();
    await checkPage(page, 'pipeline');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('cell', { name: ORGS.fabrikam.seller.email }).waitFor();
    await checkPage(page, 'users');
  });

  it("picks the deal's owner among the eligible members, and lists My deals", async () => {
    const seller = ORGS.fabrikam.seller;
    const team = [
      { name: ORGS.fabrikam.admin.name, email: ORGS.fabrikam.admin.email, phone: '+49 30 1' },
      { name: seller.name, email: seller.email, phone: '+49 30 2' },
    ];
    const demo = await local.demo();
    const owned = await fabrikam().post('/v1/deals', fabrikamDealBody(demo, { name: 'Alpine owned', team }));
    const kept = await fabrikam().post('/v1/deals', fabrikamDealBody(demo, { name: 'Alpine kept', team }));
    expect([owned.status, kept.status]).toEqual([201, 201]);

    const page = await openAs(ORGS.fabrikam.admin.sub, `/deals/${owned.body.id}`);
    const panel = page.getByRole('region', { name: 'Owner' });
    await panel.getByText(ORGS.fabrikam.admin.email).waitFor();
    // The picker offers the members the API lists as eligible, the seller on the team among them.
    await panel.getByRole('option', { name: new RegExp(seller.email) }).waitFor({ state: 'attached' });
    await panel.getByLabel('Owner').selectOption(seller.email);
    await Promise.all([
      page.waitForResponse(
        (response) =>
          response.url().endsWith(`/v1/deals/${owned.body.id}/owner`) && response.status() === 200,
      ),
      panel.getByRole('button', { name: 'Change owner' }).click(),
    ]);
    await panel.getByText(`${seller.name} · ${seller.email}`).waitFor();
    await checkPage(page, 'deal-owner');
    expect((await fabrikam().get(`/v1/deals/${owned.body.id}`)).body.owner.email).toBe(seller.email);

    // The seller's My deals: the deal it owns now, not the one it is only on the team of.
    const mine = await openAs(seller.sub, '/deals?view=outbound');
    await mine.getByRole('link', { name: 'Alpine kept' }).first().waitFor();
    await Promise.all([
      mine.waitForResponse(
        (response) => new URL(response.url()).searchParams.get('owner') === 'me' && response.ok(),
      ),
      mine.getByLabel('My deals').check(),
    ]);
    await mine.getByRole('link', { name: 'Alpine owned' }).waitFor();
    await expect.poll(() => mine.getByRole('link', { name: 'Alpine kept' }).count()).toBe(0);
    await checkPage(mine, 'tabs-my-deals');
  });

  it('sends a person nobody’s member yet to /join, where they decline one org and join another; an admin edits their roles and locations', async () => {
    const email = `joiner@${ORGS.fabrikam.admin.email.split('@')[1]}`;
    const invite = (client: ApiClient, roles: string[], locations: string[]) =>
      client.post('/v1/org/users', { email, name: 'Jo Joiner', roles, locations });
    expect((await invite(local.api.as(ORGS.northwind.admin.sub), ['org-admin'], [])).status).toBe(201);
    expect((await invite(fabrikam(), ['referral-user'], ['DE'])).status).toBe(201);

    const page = await browser.page();
    await page.goto(`${local.url}/deals?view=inbound`);
    await page.waitForURL((url) => url.pathname === '/signin');
    await page.getByLabel('User').fill('idp|jo-joiner');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/join');
    await page.getByRole('heading', { name: ORGS.northwind.name }).waitFor();
    await page.getByRole('heading', { name: ORGS.fabrikam.name }).waitFor();
    await checkPage(page, 'join');

    await page.getByRole('button', { name: `Decline ${ORGS.northwind.name}` }).click();
    await page.getByRole('heading', { name: ORGS.northwind.name }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: `Join ${ORGS.fabrikam.name}` }).click();
    await page.waitForURL((url) => url.pathname === '/deals');
    await page.getByText(`Jo Joiner · ${ORGS.fabrikam.name}`).waitFor();
    const northwindUsers = await local.api.as(ORGS.northwind.admin.sub).get('/v1/org/users?limit=100');
    expect(northwindUsers.body.items.find((user: { email: string }) => user.email === email)?.status).toBe(
      'declined',
    );

    const admin = await openAs(ORGS.fabrikam.admin.sub, '/org/users');
    const row = admin.getByRole('row').filter({ hasText: email });
    await row.getByRole('cell', { name: 'active' }).waitFor();
    await row.getByRole('button', { name: 'Edit Jo Joiner' }).click();
    await dialog(admin).getByRole('checkbox', { name: 'referrals-admin' }).check();
    await dialog(admin).getByLabel('Locations').fill('DE, at');
    await checkPage(admin, 'users-edit');
    await confirm(admin, 'Save Jo Joiner');
    await row.getByRole('cell', { name: 'DE, AT' }).waitFor();
    await row.getByRole('cell', { name: 'referral-user, referrals-admin' }).waitFor();
  });

  it('works on a phone-sized screen', async () => {
    const DEAL = 'Alpine mobile rollout';
    const deal = await dealOfFabrikam(DEAL, {
      partners: [{ orgId: (await local.demo()).orgIds.northwind, helpType: 'technical' }],
    });
    const northwindDealId = await acceptAs(
      local.api.as(ORGS.northwind.admin.sub),
      deal.engagementId,
      northwindTeam,
    );
    for (const [text, visibility] of [
      ['Kick-off with the customer on Monday.', 'engagement'],
      ['Internal: keep the discount under 10%.', 'org'],
    ])
      expect((await fabrikam().post(`/v1/deals/${deal.id}/comments`, { text, visibility })).status).toBe(201);

    const page = await openAs(ORGS.northwind.admin.sub, `/deals/${northwindDealId}`, {
      width: 390,
      height: 844,
    });
    await page.getByRole('heading', { level: 1, name: DEAL }).waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await checkPage(page, 'deal-phone');
    // Fabrikam's engagement comment reaches Northwind; its org-only one does not.
    await page.getByText('Kick-off with the customer on Monday.').waitFor();
    expect(await page.getByText('Internal: keep the discount under 10%.').count()).toBe(0);
    await page.goto(`${local.url}/deals?view=inbound`);
    await page.getByRole('link', { name: DEAL }).waitFor();
    await checkPage(page, 'tabs-phone');
  });
});
