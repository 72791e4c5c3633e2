/**
 * The console declares the enumerations it offers itself (typed by the typed client, which keeps
 * each list to the API's members); what types cannot see, order and the stage probabilities it
 * shows before the API answers, is held to the domain's here.
 */
import { describe, expect, it } from 'vitest';
import * as domain from '#domain/deals/model.ts';
import { describeChange } from '../../../web/src/deals/detail/changes.ts';
import {
  DEAL_STATUSES,
  DECLINE_REASONS,
  DIRECTION_LABELS,
  LOST_REASONS,
  REGISTRATION_STATUS_LABELS,
  STAGE_PROBABILITY,
  STAGES,
  STATUS_LABELS,
  TERMINAL_STATUSES,
  TYPE_LABELS,
  UNMET_LABELS,
  VIEW_TITLES,
} from '../../../web/src/deals/labels.ts';

describe('the console’s deal enumerations', () => {
  it('list the domain’s statuses, stages and reasons in the domain’s order', () => {
    expect(DEAL_STATUSES).toEqual([...domain.DEAL_STATUSES]);
    expect(STAGES).toEqual([...domain.STAGES]);
    expect(DECLINE_REASONS).toEqual([...domain.DECLINE_REASONS]);
    expect(LOST_REASONS).toEqual([...domain.LOST_REASONS]);
  });

  it('show each stage with the domain’s probability and close where the domain does', () => {
    expect(STAGE_PROBABILITY).toEqual(domain.STAGE_PROBABILITY);
    expect([...TERMINAL_STATUSES].sort()).toEqual([...domain.TERMINAL_STATUSES].sort());
  });
});

describe('what people read', () => {
  it('labels every value in words, never the raw value', () => {
    for (const labels of [
      STATUS_LABELS,
      TYPE_LABELS,
      DIRECTION_LABELS,
      REGISTRATION_STATUS_LABELS,
      UNMET_LABELS,
    ])
      for (const [value, label] of Object.entries(labels)) {
        // A label starts with a capital or is lower-case prose; never the API's kebab-case value.
        expect(label).not.toMatch(/^[a-z]+(-[a-z]+)+$/);
        if (value.includes('-')) expect(label).not.toBe(value);
      }
    expect(REGISTRATION_STATUS_LABELS['action-required']).toBe('Action required');
    // "Closed" is the list's one choice for every final status; the status itself reads otherwise.
    expect(Object.values(STATUS_LABELS)).not.toContain('Closed');
    expect(VIEW_TITLES.favorites).toBe('Favorite deals');
  });

  it('tells each change in the history with its old and new value', () => {
    expect(
      describeChange({
        field: 'value',
        from: { amount: 250000, currency: 'EUR' },
        to: { amount: 1, currency: 'EUR' },
      }),
    ).toBe('Value: €250,000.00 → €1.00');
    expect(describeChange({ field: 'status', from: 'accepted', to: 'won' })).toBe('Status: Accepted → Won');
    expect(describeChange({ field: 'campaignId', to: 'CAMP-SPRING' })).toBe('Campaign: — → CAMP-SPRING');
    expect(
      describeChange({ field: 'team', added: [{ name: 'Ann', email: 'ann@f.example', phone: '1' }] }),
    ).toBe('Deal team: added Ann (ann@f.example)');
  });
});
