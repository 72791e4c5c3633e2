import { describe, expect, it } from 'vitest';
import {
  DEAL_TEXT_FIELDS,
  DEAL_TEXTS,
  type DealText,
  FILTER_TEXTS,
  givenTexts,
} from '#domain/deals/model.ts';
import { matchesDealFilter } from '#domain/deals/rules/deal-filter.ts';
import { changedFields } from '#domain/deals/rules/history.ts';
import { dealResponse } from '#functions/http/schemas/deals/presenter.ts';
import {
  AcceptBody,
  CreateDealBody,
  ListDealsQuery,
  UpdateDealBody,
} from '#functions/http/schemas/deals/requests.ts';
import { aDeal } from '#test/support/builders.ts';

/** A value each format accepts. */
const sample = (field: DealText) => (DEAL_TEXTS[field].format === 'external-id' ? 'REF-7' : 'a note');

const createBody = {
  customer: { id: 'C1' },
  name: 'Deal',
  location: 'DE',
  value: { amount: 1, currency: 'EUR' },
  closeDate: '2030-01-01',
  team: [{ name: 'Ann', email: 'ann@example.com', phone: '+49 1' }],
  solutions: ['S1'],
};

describe.each(DEAL_TEXT_FIELDS)('the deal text %s, declared once in DEAL_TEXTS', (field) => {
  it('is taken by create and accept, set and cleared by an edit', () => {
    const value = sample(field);
    expect(CreateDealBody.parse({ ...createBody, [field]: value })).toMatchObject({ [field]: value });
    expect(AcceptBody.parse({ [field]: value })).toEqual({ [field]: value });
    expect(UpdateDealBody.parse({ [field]: value })).toEqual({ [field]: value });
    expect(UpdateDealBody.parse({ [field]: null })).toEqual({ [field]: null });
    expect(AcceptBody.safeParse({ [field]: null }).success).toBe(false);
  });

  it("is recorded in the history and shown in the deal's response", () => {
    const before = aDeal();
    const after = { ...before, [field]: sample(field) };
    expect(changedFields(before, after)).toContainEqual({
      field,
      ...(before[field] ? { from: before[field] } : {}),
      to: sample(field),
    });
    const view = {
      deal: after,
      favorite: false,
      type: 'private' as const,
      participants: [],
      registrations: [],
      actions: [],
      stageChoices: { stages: [], companyStage: false, sequence: null, outcomes: [] },
    };
    const registration = { eligible: false, unmet: [], status: 'none' as const, messages: [] };
    expect(dealResponse({ ...view, registration })[field]).toBe(sample(field));
    const { [field]: _gone, ...without } = after;
    expect(dealResponse({ ...view, deal: without, registration })[field]).toBeNull();
  });
});

describe.each(FILTER_TEXTS)('the filter text %s', (field) => {
  it('narrows a deal list by exact match', () => {
    const deal = aDeal({ [field]: sample(field) });
    expect(matchesDealFilter(deal, { [field]: sample(field) })).toBe(true);
    expect(matchesDealFilter(deal, { [field]: `${sample(field)}x` })).toBe(false);
    expect(ListDealsQuery.parse({ [field]: sample(field) })).toMatchObject({ [field]: sample(field) });
  });
});

describe('the texts a creation or an answer gives', () => {
  it('leave out what is not given, and empty texts unless kept', () => {
    expect(givenTexts({ notes: '', crmId: 'OPP-1' })).toEqual({ crmId: 'OPP-1' });
    expect(givenTexts({ notes: '', crmId: 'OPP-1' }, { keepEmpty: true })).toEqual({
      notes: '',
      crmId: 'OPP-1',
    });
  });
});
