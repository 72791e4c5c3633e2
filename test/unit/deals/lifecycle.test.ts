import { beforeEach, describe, expect, it } from 'vitest';
import type { Deal } from '#domain/deals/model.ts';
import { mapCompanyStage } from '#domain/deals/rules/stages.ts';
import { changeStage } from '#domain/deals/use-cases/change-stage.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { setFavorite } from '#domain/deals/use-cases/favorites.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { dealHistory, getVisibleDeal } from '#domain/deals/use-cases/read-deals.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import { ConflictError, PreconditionFailedError, type ValidationError } from '#domain/kernel/errors.ts';
import { UpdateDealBody } from '#functions/http/schemas/deals/requests.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

let w: DealWorld;
let deal: Deal;
beforeEach(async () => {
  w = await dealWorld();
  deal = await w.create(w.partner, { notes: 'keep me', crmId: 'OPP-1' });
});

const stored = async (id = deal.id) => (await getVisibleDeal(w.deps, w.partner, id)).deal;
const historyOf = async (id = deal.id) => (await dealHistory(w.deps, w.partner, id, { limit: 100 })).items;

describe('updateDeal', () => {
  it('changes the named fields, bumps the version and records old and new values', async () => {
    w.setNow('2026-11-02T10:00:00.000Z');
    const { deal: updated } = await updateDeal(w.deps, w.partner, {
      dealId: deal.id,
      name: 'Renamed',
      value: { amount: 1, currency: 'USD' },
      crmId: null,
    });
    expect(updated).toMatchObject({ name: 'Renamed', value: { amount: 1, currency: 'USD' }, version: 2 });
    expect(updated.crmId).toBeUndefined();
    expect(updated.notes).toBe('keep me');
    expect(updated.updatedAt).toBe('2026-11-02T10:00:00.000Z');
    const [latest] = await historyOf();
    expect(latest).toMatchObject({ action: 'updated', actor: { sub: w.partner.sub } });
    expect(latest?.changes).toEqual([
      { field: 'name', from: 'Tailspin data platform', to: 'Renamed' },
      { field: 'value', from: { amount: 250_000, currency: 'EUR' }, to: { amount: 1, currency: 'USD' } },
      { field: 'crmId', from: 'OPP-1' },
    ]);
  });

  it('writes nothing when every value is already as asked', async () => {
    const { deal: same } = await updateDeal(w.deps, w.partner, { dealId: deal.id, name: deal.name });
    expect(same.version).toBe(1);
    expect(await historyOf()).toHaveLength(1);
  });

  it('answers 412 for a stale If-Match and applies a current one', async () => {
    await expect(
      updateDeal(w.deps, w.partner, { dealId: deal.id, name: 'x', expectedVersion: 7 }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(
      updateDeal(w.deps, w.partner, { dealId: deal.id, name: 'x', expectedVersion: 1 }),
    ).resolves.toMatchObject({
      deal: { version: 2 },
    });
  });

  it('applies the same rules as creation', async () => {
    const pastDate = await updateDeal(w.deps, w.partner, { dealId: deal.id, closeDate: '2026-10-01' }).catch(
      (e) => e,
    );
    expect((pastDate as ValidationError).errors.map((e) => e.path)).toEqual(['closeDate']);
    await expect(
      updateDeal(w.deps, w.partner, { dealId: deal.id, solutions: ['missing'] }),
    ).rejects.toMatchObject({
      code: 'unknown-solution',
    });
    await expect(
      updateDeal(w.deps, w.partner, { dealId: deal.id, solutions: [w.assessmentType.id] }),
    ).rejects.toMatchObject({ code: 'deal-type-fixed' });
  });

  it('keeps a solution-assessment deal an assessment deal', async () => {
    const assessment = await w.create(w.assessor, {
      solutions: [w.assessmentType.id],
      assessmentLocation: 'DE',
    });
    await expect(
      updateDeal(w.deps, w.assessor, { dealId: assessment.id, solutions: [w.hostSolution.id] }),
    ).rejects.toMatchObject({ code: 'deal-type-fixed' });
  });
});

describe('the upgrade of a deal without a customer contact to co-sell', () => {
  const contact = { name: 'Cy Buyer', phone: '+49 1', email: 'cy@tailspin.example' };

  it('adds the contact and consent by an edit, after which the host can be invited', async () => {
    await expect(
      inviteToDeal(w.deps, w.partner, { dealId: deal.id, host: { helpType: 'general' } }),
    ).rejects.toMatchObject({ code: 'contact-required' });
    const { deal: edited, actions } = await updateDeal(w.deps, w.partner, {
      dealId: deal.id,
      customer: { contact, consentToShareWithHost: true },
    });
    expect(edited.customer).toMatchObject({ id: w.customer.id, contact, consentToShareWithHost: true });
    expect(actions).toContain('invite');
    const [latest] = await historyOf();
    expect(latest?.changes).toEqual([
      { field: 'customer.contact', to: contact },
      { field: 'customer.consentToShareWithHost', from: false, to: true },
    ]);
    const { type } = await inviteToDeal(w.deps, w.partner, {
      dealId: deal.id,
      host: { helpType: 'general' },
    });
    expect(type).toBe('co-sell');
  });

  it('keeps the customer itself fixed and wants something to change', () => {
    const fixed = UpdateDealBody.safeParse({ customer: { id: 'other', contact } });
    expect(fixed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['customer.id']);
    expect(UpdateDealBody.safeParse({ customer: {} }).success).toBe(false);
    expect(UpdateDealBody.parse({ customer: { consentToShareWithHost: false } })).toEqual({
      customer: { consentToShareWithHost: false },
    });
  });

  it('refuses a terminal deal', async () => {
    await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'lost', reason: 'no-budget' });
    await expect(
      updateDeal(w.deps, w.partner, { dealId: deal.id, customer: { contact } }),
    ).rejects.toMatchObject({ code: 'terminal-deal' });
  });
});

describe('changeStage', () => {
  it('maps a company stage to the highest standard stage not above its probability and keeps both', async () => {
    const { deal: moved } = await changeStage(w.deps, w.partner, {
      dealId: deal.id,
      stageName: 'Solution design',
      probability: 55,
    });
    expect(moved).toMatchObject({
      stage: 'developed',
      probability: 40,
      companyStage: { name: 'Solution design', probability: 55 },
    });
    const { deal: standard } = await changeStage(w.deps, w.partner, { dealId: deal.id, stage: 'qualified' });
    expect(standard.companyStage).toBeUndefined();
    expect(standard).toMatchObject({ stage: 'qualified', probability: 20 });
  });

  it.each([
    [0, 'created'],
    [10, 'created'],
    [19, 'created'],
    [20, 'qualified'],
    [59, 'developed'],
    [60, 'proposed'],
    [80, 'negotiated'],
    [100, 'negotiated'],
  ] as const)('maps %i%% on an outbound deal to %s', (probability, stage) => {
    expect(mapCompanyStage({ direction: 'outbound' }, probability)).toBe(stage);
  });

  it('maps low probabilities on an inbound deal to its entry stage, accepted', () => {
    expect(mapCompanyStage({ direction: 'inbound' }, 5)).toBe('accepted');
  });

  it('lets ordinary deals move in any order', async () => {
    await changeStage(w.deps, w.partner, { dealId: deal.id, stage: 'negotiated' });
    const { deal: back } = await changeStage(w.deps, w.partner, { dealId: deal.id, stage: 'qualified' });
    expect(back.stage).toBe('qualified');
  });

  it('moves solution-assessment deals strictly in sequence and wins them only after negotiated', async () => {
    const assessment = await w.create(w.assessor, {
      solutions: [w.assessmentType.id],
      assessmentLocation: 'DE',
    });
    const move = (stage: 'qualified' | 'developed' | 'proposed' | 'negotiated') =>
      changeStage(w.deps, w.assessor, { dealId: assessment.id, stage });
    await expect(move('developed')).rejects.toMatchObject({ code: 'assessment-sequence' });
    await expect(
      closeDeal(w.deps, w.assessor, { dealId: assessment.id, outcome: 'won' }),
    ).rejects.toMatchObject({ code: 'assessment-sequence' });
    await move('qualified');
    await expect(move('qualified')).rejects.toMatchObject({ code: 'assessment-sequence' });
    await move('developed');
    await move('proposed');
    await move('negotiated');
    const { deal: won } = await closeDeal(w.deps, w.assessor, { dealId: assessment.id, outcome: 'won' });
    expect(won).toMatchObject({ status: 'won', stage: 'won', probability: 100 });
  });
});

describe('closeDeal', () => {
  it('wins a deal: stage won, probability 100, closed time recorded', async () => {
    w.setNow('2026-12-01T00:00:00.000Z');
    const { deal: won } = await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'won' });
    expect(won).toMatchObject({
      status: 'won',
      stage: 'won',
      probability: 100,
      closedAt: '2026-12-01T00:00:00.000Z',
    });
    expect((await historyOf())[0]?.action).toBe('won');
  });

  it('loses a deal with a reason and notes, keeping the stage it reached', async () => {
    await changeStage(w.deps, w.partner, { dealId: deal.id, stage: 'proposed' });
    const { deal: lost } = await closeDeal(w.deps, w.partner, {
      dealId: deal.id,
      outcome: 'lost',
      reason: 'no-budget',
      notes: 'frozen',
    });
    expect(lost).toMatchObject({
      status: 'lost',
      stage: 'proposed',
      lost: { reason: 'no-budget', notes: 'frozen' },
    });
  });

  it('makes the deal immutable: every change is a terminal-deal conflict, favorites still toggle', async () => {
    await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'lost', reason: 'other' });
    const attempts = [
      updateDeal(w.deps, w.partner, { dealId: deal.id, name: 'x' }),
      changeStage(w.deps, w.partner, { dealId: deal.id, stage: 'qualified' }),
      closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'won' }),
    ];
    for (const attempt of attempts) {
      const error = await attempt.catch((e) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.code).toBe('terminal-deal');
    }
    await setFavorite(w.deps, w.partner, { dealId: deal.id, favorite: true });
    expect((await getVisibleDeal(w.deps, w.partner, deal.id)).favorite).toBe(true);
    expect((await stored()).status).toBe('lost');
  });
});
