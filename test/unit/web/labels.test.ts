/**
 * The console declares the enumerations it offers itself (typed by the typed client, which keeps
 * each list to the API's members); what types cannot see, order and the stage probabilities it
 * shows before the API answers, is held to the domain's here.
 */
import { describe, expect, it } from 'vitest';
import * as domain from '#domain/deals/model.ts';
import {
  DEAL_STATUSES,
  DECLINE_REASONS,
  LOST_REASONS,
  STAGE_PROBABILITY,
  STAGES,
  TERMINAL_STATUSES,
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
