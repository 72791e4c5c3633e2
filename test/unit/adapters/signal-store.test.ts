import { describe, expect, it } from 'vitest';
import { addToTally, answerSignal } from '#domain/insights/signals.ts';
import { countSignal, tallyItem, toTally } from '#functions/adapters/dynamo/signal-store.ts';

const signal = answerSignal({
  orgId: 'org-1',
  deal: {
    location: 'DE',
    solutions: ['sol-1'],
    kinds: ['host'],
    helpType: 'technical',
    value: { amount: 250_000, currency: 'EUR' },
  },
  outcome: 'not-a-fit',
  answeredAt: '2026-11-01T10:00:00.000Z',
});

describe('signal items', () => {
  it('adds one answer to one item per feature, keyed by the feature value and the org', () => {
    const updates = countSignal('table', signal);
    expect(updates.map((u) => u.Update.Key)).toEqual([
      { pk: 'SIGNAL#location#DE', sk: 'ORG#org-1' },
      { pk: 'SIGNAL#solution#sol-1', sk: 'ORG#org-1' },
      { pk: 'SIGNAL#kind#host', sk: 'ORG#org-1' },
      { pk: 'SIGNAL#help#technical', sk: 'ORG#org-1' },
      { pk: 'SIGNAL#value#1e5', sk: 'ORG#org-1' },
    ]);
    expect(updates[0]?.Update.ExpressionAttributeNames).toMatchObject({
      '#count': 'c_not-a-fit',
      '#weight': 'w_not-a-fit_2026',
    });
    // Only the org, the feature and the counts: nothing of the answered deal.
    expect(JSON.stringify(updates)).not.toMatch(/250000|EUR/);
  });

  it('reads back what the ADDs build up, as the domain folds it', () => {
    const feature = { name: 'location' as const, value: 'DE' };
    const tally = addToTally(addToTally(undefined, signal, feature), signal, feature);
    expect(toTally(tallyItem(tally))).toEqual(tally);
  });
});
