/**
 * The console's forms and what the deal read offers, in Chromium against the local runtime: a
 * partner invitation with every field the API takes, checked field by field before it is sent; an
 * invitation email's link accepted in at most three interactions from a live session; the stage
 * sequence of a solution assessment; the pipeline report of one campaign; money and percentages in
 * the browser's locale. Every page and dialog passes axe-core and is screenshotted.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fabrikamDealBody, useLocalRuntime } from '#test/support/local-runtime.ts';
import { formatMoney, formatPercent } from '../../web/src/common/ui/format.ts';
import { checkPage, confirm, dialog, signIn, useBrowser } from './browser.ts';

const local = useLocalRuntime();
const ORGS = local.orgs;
const browser = useBrowser();

const fabrikam = () => local.api.as(ORGS.fabrikam.admin.sub);
const northwind = () => local.api.as(ORGS.northwind.admin.sub);

/** A deal of Fabrikam made over the API (Alpine Ski House, Contoso Data Platform). */
const dealOfFabrikam = async (
  overrides: Record<string, unknown>,
): Promise<{ id: string; engagementId: string }> => {
  const created = await fabrikam().post('/v1/deals', fabrikamDealBody(await local.demo(), overrides));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
};

/** A signed-in page for `sub`, opened at `path` (signed out first, so this also walks the sign-in). */
const openAs = async (sub: string, path: string, locale?: string): Promise<Page> => {
  const page = await browser.page(undefined, locale ? { locale } : {});
  await page.goto(`${local.url}${path}`);
  await page.waitForURL((url) => url.pathname === '/signin');
  await signIn(page, sub);
  return page;
};

const status = (page: Page) => page.locator('.summary .status');

describe('the console’s forms', () => {
  it('invites a partner with every field the API takes, each checked at its field before sending', async () => {
    const DEAL = 'Alpine partner invitation';
    const deal = await dealOfFabrikam({ name: DEAL, closeDate: '2030-06-30' });
    const partnerName = ORGS.northwind.name;
    const page = await openAs(ORGS.fabrikam.admin.sub, `/deals/${deal.id}`);
    await page.getByRole('heading', { level: 1, name: DEAL }).waitFor();

    await page.getByRole('button', { name: 'Invite' }).click();
    await dialog(page).getByLabel('Partner search').fill(partnerName);
    await dialog(page)
      .getByRole('button', { name: `Add ${partnerName}`, exact: true })
      .click();
    const invitation = dialog(page).getByRole('group', { name: `Invitation of ${partnerName}` });
    // Close date, value, team and solutions start as the deal's.
    expect(await invitation.getByLabel(`Close date for ${partnerName}`).inputValue()).toBe('2030-06-30');
    expect(await invitation.getByLabel(`Value for ${partnerName}`).inputValue()).toBe('120000');
    const team = invitation.getByRole('group', { name: `Your team for ${partnerName}` });
    expect(await team.getByLabel('Member 1 email').inputValue()).toBe(ORGS.fabrikam.admin.email);
    const solution = invitation.getByLabel(/Contoso Data Platform/);
    expect(await solution.isChecked()).toBe(true);
    await checkPage(page, 'dialog-invite-partner');

    // Wrong in three places: each says so at its field, in a sentence, and nothing is sent.
    let sent = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/invitations')) sent += 1;
    });
    await invitation.getByLabel(`Value for ${partnerName}`).fill('-5');
    await team.getByRole('button', { name: 'Remove member 1' }).click();
    await solution.uncheck();
    await dialog(page).getByRole('button', { name: 'Invite', exact: true }).click();
    const value = invitation.getByLabel(`Value for ${partnerName}`);
    await expect.poll(() => value.getAttribute('aria-invalid')).toBe('true');
    await invitation.getByText("Enter 0 or more for the partner's value.").waitFor();
    await team.getByText('Add at least 1 to your team for the partner.').waitFor();
    await invitation.getByText("Add at least 1 to the partner's solutions.").waitFor();
    expect(sent).toBe(0);
    await checkPage(page, 'dialog-invite-partner-refused');

    await value.fill('5000');
    await invitation.getByLabel(`Close date for ${partnerName}`).fill('2030-05-31');
    await invitation.getByLabel(`Notes for ${partnerName}`).fill('Their migration team knows the customer.');
    await invitation.getByLabel(`Help type for ${partnerName}`).selectOption('technical');
    await team.getByRole('button', { name: 'Add team member' }).click();
    await team.getByLabel('Member 1 name').fill(ORGS.fabrikam.admin.name);
    await team.getByLabel('Member 1 email').fill(ORGS.fabrikam.admin.email);
    await team.getByLabel('Member 1 phone').fill('+49 30 777');
    await solution.check();
    await confirm(page, 'Invite');
    await page.getByText(`${partnerName} (partner)`).waitFor();
    expect(sent).toBe(1);

    // Northwind's invitation carries what was typed.
    const inbound = await northwind().get('/v1/deals?view=inbound&status=received&limit=100');
    const theirs = inbound.body.items.find(
      (item: { engagementId: string }) => item.engagementId === deal.engagementId,
    );
    expect(theirs).toMatchObject({
      value: { amount: 5000, currency: 'EUR' },
      closeDate: '2030-05-31',
      solutions: [(await local.demo()).solutions['Contoso Data Platform']],
      invitation: {
        helpType: 'technical',
        notes: 'Their migration team knows the customer.',
        inviterTeam: [
          { name: ORGS.fabrikam.admin.name, email: ORGS.fabrikam.admin.email, phone: '+49 30 777' },
        ],
      },
    });
  });

  it('accepts from the invitation email in at most three interactions with a live session', async () => {
    const DEAL = 'Alpine accept from the email';
    // Signed in already: the live session the email's link opens into.
    const page = await openAs(ORGS.northwind.admin.sub, '/deals?view=inbound');
    await page.getByRole('tab', { name: 'Inbound' }).waitFor();
    await dealOfFabrikam({
      name: DEAL,
      closeDate: '2030-06-30',
      invite: { partners: [{ orgId: (await local.demo()).orgIds.northwind, helpType: 'technical' }] },
    });
    const email = await local.eventually(
      'the invitation email to Northwind',
      async () =>
        (await local.emails()).find(
          (candidate) =>
            candidate.destination.to.includes(ORGS.northwind.admin.email) && candidate.subject.includes(DEAL),
        ),
      60_000,
    );
    const link = /https?:\/\/[^\s"<>]+\/deals\/[^\s"<>]+/.exec(email.body.text ?? '')?.[0] ?? '';

    // Every click, keystroke or navigation the person makes counts.
    let interactions = 0;
    const act = async (step: () => Promise<unknown>) => {
      interactions += 1;
      await step();
    };
    await act(() => page.goto(link));
    await page.getByRole('heading', { level: 1, name: DEAL }).waitFor();
    await dialog(page).getByRole('heading', { name: 'Accept the deal' }).waitFor();
    await checkPage(page, 'email-link-accept');
    await act(() => confirm(page, 'Accept'));
    await expect.poll(() => status(page).textContent()).toBe('Accepted');
    await page.getByText('You accepted the invitation.').waitFor();

    expect(interactions).toBeLessThanOrEqual(3);
    expect(interactions).toBe(2);
    // The link's action left the address: a reload shows the deal, no dialog.
    expect(new URL(page.url()).search).toBe('');
  });

  it('shows a solution assessment’s stage sequence and offers only the next stage, and won only at the end', async () => {
    const DEAL = 'Tailspin cloud assessment';
    const demo = await local.demo();
    const created = await northwind().post('/v1/deals', {
      customer: {
        id: demo.customers['Tailspin Toys'],
        contact: { name: 'Tom Toys', email: 'tom@tailspin.example', phone: '+1 206 555 0199' },
        consentToShareWithHost: true,
      },
      name: DEAL,
      location: 'US',
      value: { amount: 15000, currency: 'USD' },
      closeDate: '2030-06-30',
      team: [
        { name: ORGS.northwind.admin.name, email: ORGS.northwind.admin.email, phone: '+1 206 555 0100' },
      ],
      solutions: [demo.solutions['Cloud Migration Assessment']],
      assessmentLocation: 'US',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.stageChoices).toMatchObject({ stages: ['qualified'], companyStage: false });

    const page = await openAs(ORGS.northwind.admin.sub, `/deals/${created.body.id}`);
    await page.getByRole('heading', { level: 1, name: DEAL }).waitFor();
    await page.getByRole('button', { name: 'Change stage' }).click();
    const sequence = dialog(page).getByRole('list', { name: 'Assessment stages' });
    expect(await sequence.getByRole('listitem').allTextContents()).toEqual([
      'Qualified (20%) — next',
      'Developed (40%)',
      'Proposed (60%)',
      'Negotiated (80%)',
    ]);
    expect(await dialog(page).getByRole('radio').count()).toBe(1);
    expect(await dialog(page).getByLabel("Your company's stage").count()).toBe(0);
    await confirm(page, 'Change stage');
    await expect
      .poll(() => page.locator('.stagebar [aria-current="step"]').textContent())
      .toContain('Qualified');

    await page.getByRole('button', { name: 'Change stage' }).click();
    expect(await sequence.getByRole('listitem').allTextContents()).toEqual([
      'Qualified (20%) — marked',
      'Developed (40%) — next',
      'Proposed (60%)',
      'Negotiated (80%)',
    ]);
    expect(await dialog(page).getByLabel('Developed (40%)').isChecked()).toBe(true);
    await checkPage(page, 'dialog-stage-assessment');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();

    // Not negotiated yet: closing offers lost only, and says when won comes.
    await page.getByRole('button', { name: 'Close deal' }).click();
    expect(await dialog(page).getByLabel('Won').count()).toBe(0);
    await dialog(page).getByLabel('Lost').waitFor();
    await dialog(page).getByText('can be won once every stage up to negotiated is marked').waitFor();
    await checkPage(page, 'dialog-close-assessment');
  });

  it('narrows the pipeline report to one campaign and writes money and percentages in the browser’s locale', async () => {
    for (const [name, amount, campaignId] of [
      ['Alpine spring one', 1000, 'SPRING-27'],
      ['Alpine spring two', 2500, 'SPRING-27'],
      ['Alpine autumn', 40000, 'AUTUMN-27'],
    ] as const)
      await dealOfFabrikam({ name, value: { amount, currency: 'EUR' }, campaignId });
    const german = 'de-DE';
    const page = await openAs(ORGS.fabrikam.admin.sub, '/reports/pipeline', german);
    await page.getByRole('img', { name: /Deals by campaign/ }).waitFor();
    const summary = page.locator('.report-summary');
    await Promise.all([
      page.waitForResponse(
        (response) => new URL(response.url()).searchParams.get('campaignId') === 'SPRING-27' && response.ok(),
      ),
      page.getByLabel('Campaign', { exact: true }).selectOption('SPRING-27'),
    ]);
    const spring = formatMoney({ amount: 3500, currency: 'EUR' }, german);
    expect(spring).toBe('3.500,00\u00a0€');
    await summary.getByText(spring).waitFor();
    expect(new URL(page.url()).searchParams.get('campaign')).toBe('SPRING-27');
    await checkPage(page, 'pipeline-campaign');

    // The deals list and the deal page write the value and the probability the German way.
    await page.goto(`${local.url}/deals?view=outbound`);
    await page.getByRole('link', { name: 'Alpine autumn' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alpine autumn' }).waitFor();
    const written = `${formatMoney({ amount: 40000, currency: 'EUR' }, german)} · ${formatPercent(10, german)}`;
    expect(written).toBe('40.000,00\u00a0€ · 10\u00a0%');
    await expect.poll(() => page.locator('.summary').textContent()).toContain(written);
    await checkPage(page, 'deal-german');
  });
});
