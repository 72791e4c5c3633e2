import { beforeEach, describe, expect, it } from 'vitest';
import { dealType } from '#domain/deals/rules/deal-type.ts';
import { createDeal } from '#domain/deals/use-cases/create-deal.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import { updateSolution } from '#domain/directory/solutions.ts';
import { ForbiddenError, ValidationError } from '#domain/kernel/errors.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

let w: DealWorld;
beforeEach(async () => {
  w = await dealWorld();
});

const fieldOf = (error: unknown) => (error as ValidationError).errors.map((e) => e.path);

describe('createDeal', () => {
  it('creates an accepted outbound private deal at stage created, in a new engagement, with a history entry', async () => {
    const deal = await w.create(w.partner, {
      customer: {
        id: w.customer.id,
        contact: { name: 'Cy Buyer', phone: '+49 1', email: 'cy@tailspin.example' },
        consentToShareWithHost: true,
      },
      crmId: 'OPP-1',
      notes: 'first call went well',
    });

    expect(deal).toMatchObject({
      orgId: w.partner.orgId,
      direction: 'outbound',
      status: 'accepted',
      stage: 'created',
      probability: 10,
      crmId: 'OPP-1',
      customer: { id: w.customer.id, name: 'Tailspin Toys', country: 'DE', consentToShareWithHost: true },
      version: 1,
      createdBy: w.partner.sub,
    });
    expect(dealType(deal)).toBe('private');
    expect(w.deps.deals.engagements.get(deal.engagementId)).toMatchObject({
      originOrgId: w.partner.orgId,
      assessment: false,
    });
    expect(w.deps.deals.historyEntries.filter((e) => e.dealId === deal.id).map((e) => e.action)).toEqual([
      'created',
    ]);
  });

  it('refuses a close date that is not after today', async () => {
    w.setNow('2027-03-31T23:59:00.000Z');
    const error = await w.create(w.partner).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(fieldOf(error)).toEqual(['closeDate']);
    expect(w.deps.deals.deals.size).toBe(0);
  });

  it('refuses a customer that is not in the directory', async () => {
    await expect(w.create(w.partner, { customer: { id: 'nope' } })).rejects.toMatchObject({
      code: 'unknown-customer',
    });
  });

  it("refuses unknown solutions and other partners' solutions that are not co-sell ready", async () => {
    await expect(w.create(w.partner, { solutions: ['missing'] })).rejects.toMatchObject({
      code: 'unknown-solution',
    });
    // Fabrikam's own co-sell-ready solution is fine; its draft is invisible to Adatum.
    await expect(w.create(w.partner, { solutions: [w.partnerSolution.id] })).resolves.toBeDefined();
    await expect(w.create(w.other, { solutions: [w.partnerDraft.id] })).rejects.toMatchObject({
      code: 'unknown-solution',
    });
  });

  it("takes only the org's own solutions that are co-sell ready (422), on create, edit and invitations", async () => {
    await expect(w.create(w.partner, { solutions: [w.partnerDraft.id] })).rejects.toMatchObject({
      kind: 'business-rule',
      code: 'solution-not-co-sell-ready',
    });
    const deal = await w.create(w.partner);
    await expect(
      updateDeal(w.deps, w.partner, { dealId: deal.id, solutions: [w.hostSolution.id, w.partnerDraft.id] }),
    ).rejects.toMatchObject({ code: 'solution-not-co-sell-ready' });
    // Once its owner marks it co-sell ready, the same solution is taken.
    await updateSolution(w.deps, w.partner, { id: w.partnerDraft.id, coSellReady: true });
    await expect(
      updateDeal(w.deps, w.partner, { dealId: deal.id, solutions: [w.partnerDraft.id] }),
    ).resolves.toMatchObject({ deal: { solutions: [w.partnerDraft.id] } });
  });

  it('refuses a solution listed twice', async () => {
    const error = await w
      .create(w.partner, { solutions: [w.hostSolution.id, w.hostSolution.id] })
      .catch((e) => e);
    expect(fieldOf(error)).toEqual(['solutions']);
  });

  describe('solution-assessment deals', () => {
    it('are created by capable orgs with the assessment type alone and an assessment location', async () => {
      const deal = await w.create(w.assessor, { solutions: [w.assessmentType.id], assessmentLocation: 'FR' });
      expect(dealType(deal)).toBe('solution-assessment');
      expect(deal.assessmentLocation).toBe('FR');
    });

    it('need the capability', async () => {
      await expect(
        w.create(w.partner, { solutions: [w.assessmentType.id], assessmentLocation: 'FR' }),
      ).rejects.toMatchObject({ code: 'assessment-not-allowed' });
    });

    it('take exactly one solution', async () => {
      await expect(
        w.create(w.assessor, {
          solutions: [w.assessmentType.id, w.hostSolution.id],
          assessmentLocation: 'FR',
        }),
      ).rejects.toMatchObject({ code: 'assessment-single-solution' });
    });

    it('need an assessment location, which other deals may not have', async () => {
      expect(
        fieldOf(await w.create(w.assessor, { solutions: [w.assessmentType.id] }).catch((e) => e)),
      ).toEqual(['assessmentLocation']);
      expect(fieldOf(await w.create(w.partner, { assessmentLocation: 'FR' }).catch((e) => e))).toEqual([
        'assessmentLocation',
      ]);
    });
  });

  describe('a referral-user', () => {
    it('creates deals in its locations when it is on the team', async () => {
      const seller = await w.member(w.partner, 'seller', ['referral-user'], ['DE']);
      const team = [{ name: 'Seller', email: seller.email.toUpperCase(), phone: '+49 1' }];
      await expect(createDeal(w.deps, seller, w.input({ team }))).resolves.toMatchObject({ location: 'DE' });
    });

    it('may not create deals outside its locations', async () => {
      const seller = await w.member(w.partner, 'seller', ['referral-user'], ['FR']);
      const team = [{ name: 'Seller', email: seller.email, phone: '+49 1' }];
      await expect(createDeal(w.deps, seller, w.input({ team }))).rejects.toBeInstanceOf(ForbiddenError);
    });

    it('must put itself on the team', async () => {
      const seller = await w.member(w.partner, 'seller', ['referral-user'], ['DE']);
      expect(fieldOf(await createDeal(w.deps, seller, w.input()).catch((e) => e))).toEqual(['team']);
    });
  });

  it('lets admins create anywhere and refuses a member without a role', async () => {
    const adminOnly = { ...w.partner, roles: ['org-admin' as const] };
    await expect(w.create(adminOnly)).resolves.toBeDefined();
    const noDealRole = { ...w.partner, roles: [] };
    await expect(w.create(noDealRole)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
