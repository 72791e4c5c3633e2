/**
 * The stage choices a deal read carries are exactly what the stage and close rules accept: every
 * offered stage moves the deal, every other settable stage is refused, and won is offered exactly
 * when the deal is winnable.
 */
import { describe, expect, it } from 'vitest';
import { STAGE_PROBABILITY, type Stage } from '#domain/deals/model.ts';
import {
  ASSESSMENT_SEQUENCE,
  moveToStage,
  requireWinnable,
  SETTABLE_STAGES,
  stageChoices,
} from '#domain/deals/rules/stages.ts';
import { aDeal } from '#test/support/builders.ts';

const accepts = (run: () => unknown): boolean => {
  try {
    run();
    return true;
  } catch {
    return false;
  }
};

const situations = [
  ['an outbound deal just created', aDeal()],
  ['an accepted inbound deal', aDeal({ direction: 'inbound', stage: 'accepted' })],
  ['an ordinary deal at proposed', aDeal({ stage: 'proposed' })],
  ...(['created', ...ASSESSMENT_SEQUENCE] as Stage[]).map(
    (stage) =>
      [
        `a solution-assessment deal at ${stage}`,
        aDeal({ stage, probability: STAGE_PROBABILITY[stage], assessmentLocation: 'DE' }),
      ] as const,
  ),
  ['a won deal', aDeal({ status: 'won', stage: 'won' })],
  ['a received deal', aDeal({ status: 'received', direction: 'inbound', stage: 'accepted' })],
] as const;

describe('stage choices', () => {
  it.each(situations)('of %s are the stages and outcomes the rules accept', (_, deal) => {
    const choices = stageChoices(deal);
    for (const stage of SETTABLE_STAGES)
      expect(
        accepts(() => moveToStage(deal, stage)),
        stage,
      ).toBe(choices.stages.includes(stage));
    expect(choices.outcomes.includes('won')).toBe(accepts(() => requireWinnable(deal)));
    expect(choices.outcomes.includes('lost')).toBe(deal.status === 'accepted');
  });

  it('name the sequence of a solution-assessment deal, one stage at a time, and no company stage', () => {
    const deal = aDeal({ stage: 'developed', probability: 40, assessmentLocation: 'DE' });
    expect(stageChoices(deal)).toEqual({
      stages: ['proposed'],
      companyStage: false,
      sequence: ['qualified', 'developed', 'proposed', 'negotiated'],
      outcomes: ['lost'],
    });
    expect(stageChoices(aDeal()).sequence).toBeNull();
    expect(stageChoices(aDeal()).companyStage).toBe(true);
  });
});
