/**
 * The console's one table of deal fields: the drafts it starts, the bodies it builds for creating,
 * accepting and editing a deal, and what the deal page lists from it.
 */
import type { Schemas } from '@co-sell/client';
import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney } from '../../../web/src/common/ui/format.ts';
import {
  type DealFieldKey,
  dealBodyOf,
  dealDraftOf,
  dealFieldDetails,
  dealFieldPaths,
} from '../../../web/src/deals/fields/deal-fields.ts';

type Deal = Schemas['DealResponse'];

const ANNA = { name: 'Anna Alpine', email: 'anna@alpine.example', phone: '+49 89 123456' };

/** The fields the table reads; the rest of a deal plays no part here. */
const dealWith = (fields: Partial<Pick<Deal, DealFieldKey>>): Deal =>
  ({
    name: 'Alpine data platform rollout',
    value: { amount: 250000, currency: 'EUR' },
    closeDate: '2027-06-30',
    crmId: null,
    campaignId: null,
    notes: null,
    team: [],
    ...fields,
  }) as Deal;

describe('the deal fields', () => {
  it('asks for the details on one wizard step and the team on the next', () => {
    expect(dealFieldPaths('details')).toEqual(['name', 'value', 'closeDate', 'crmId', 'campaignId', 'notes']);
    expect(dealFieldPaths('team')).toEqual(['team']);
    expect(dealFieldPaths()).toEqual([...dealFieldPaths('details'), ...dealFieldPaths('team')]);
  });

  it('sends back a deal as it was when nothing is changed', () => {
    const deal = dealWith({ crmId: 'NW-OPP-7', campaignId: 'Q2', notes: 'Pilot first.', team: [ANNA] });
    const fields = {
      name: deal.name,
      value: deal.value,
      closeDate: deal.closeDate,
      crmId: 'NW-OPP-7',
      campaignId: 'Q2',
      notes: 'Pilot first.',
      team: [ANNA],
    };
    expect(dealBodyOf(dealDraftOf(deal), 'update')).toEqual(fields);
    expect(dealBodyOf(dealDraftOf(deal), 'accept')).toEqual(fields);
  });

  it('clears a field emptied in an edit, and leaves it out when creating or accepting', () => {
    const draft = { ...dealDraftOf(dealWith({ notes: 'Old notes', crmId: 'X-1' })), notes: '  ', crmId: '' };
    expect(dealBodyOf(draft, 'update')).toMatchObject({ notes: null, crmId: null, campaignId: null });
    for (const editing of ['accept', 'create'] as const) {
      const body = dealBodyOf(draft, editing);
      expect(Object.keys(body)).not.toContain('notes');
      expect(Object.keys(body)).not.toContain('crmId');
    }
  });

  it('sends a team when creating even when empty, and otherwise only when it has members', () => {
    const empty = dealDraftOf(dealWith({ team: [] }));
    expect(dealBodyOf(empty, 'create').team).toEqual([]);
    expect(Object.keys(dealBodyOf(empty, 'accept'))).not.toContain('team');
    expect(Object.keys(dealBodyOf(empty, 'update'))).not.toContain('team');
  });

  it('starts a new deal blank and sends what was typed, trimmed and as numbers', () => {
    const draft = dealDraftOf();
    expect(draft).toEqual({
      name: '',
      value: { amount: '', currency: 'EUR' },
      closeDate: '',
      crmId: '',
      campaignId: '',
      notes: '',
      team: [],
    });
    const typed = {
      ...draft,
      name: '  Alpine rollout ',
      value: { amount: '1250.50', currency: 'CHF' as const },
    };
    expect(dealBodyOf(typed, 'create')).toEqual({
      name: 'Alpine rollout',
      value: { amount: 1250.5, currency: 'CHF' },
      team: [],
    });
  });

  it('never turns an empty value or close date into one: they are left out for the API to ask', () => {
    expect(dealBodyOf(dealDraftOf(), 'create')).toEqual({ name: '', team: [] });
    expect(
      dealBodyOf({ ...dealDraftOf(), value: { amount: '  ', currency: 'EUR' } }, 'update'),
    ).not.toHaveProperty('value');
  });

  it('lists the deal’s values on its page, leaving out the heading, the team and what is not set', () => {
    const deal = dealWith({ notes: 'Pilot first.', team: [ANNA] });
    expect(dealFieldDetails(deal)).toEqual([
      { key: 'value', label: 'Value', text: formatMoney(deal.value) },
      { key: 'closeDate', label: 'Close date', text: formatDate(deal.closeDate) },
      { key: 'notes', label: 'Notes', text: 'Pilot first.' },
    ]);
  });
});
