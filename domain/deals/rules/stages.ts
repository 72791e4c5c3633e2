/**
 * Sales stages (docs/domain.md §3). Ordinary deals move between open stages in any order; solution-assessment
 * deals go qualified → developed → proposed → negotiated one step at a time and may be won only once
 * negotiated. `won` itself is reached by closing the deal, never by setting a stage.
 */
import { BusinessRuleError, ConflictError } from '../../kernel/errors.ts';
import { type CompanyStage, type Deal, STAGE_PROBABILITY, STAGES, type Stage } from '../model.ts';

export const ASSESSMENT_SEQUENCE: readonly Stage[] = ['qualified', 'developed', 'proposed', 'negotiated'];

/** Stages a client may set: every standard stage but `won`, which only closing the deal sets. */
export const SETTABLE_STAGES = STAGES.filter((stage) => stage !== 'won');
export type SettableStage = Exclude<Stage, 'won'>;

/** The stage a deal starts at: `created` for the org's own deals, `accepted` for accepted invitations. */
export const entryStage = (deal: Pick<Deal, 'direction'>): SettableStage =>
  deal.direction === 'outbound' ? 'created' : 'accepted';

/**
 * Maps a company's own stage to the standard stage with the highest probability not above the given
 * one. Ties (created/accepted, both 10) and probabilities below every stage resolve to the deal's
 * entry stage; 100 maps to `negotiated`, since only closing makes a deal won.
 */
export const mapCompanyStage = (deal: Pick<Deal, 'direction'>, probability: number): SettableStage => {
  const entry = entryStage(deal);
  let best: SettableStage = entry;
  for (const stage of SETTABLE_STAGES) {
    if (stage === 'created' || stage === 'accepted') continue;
    if (STAGE_PROBABILITY[stage] <= probability && STAGE_PROBABILITY[stage] > STAGE_PROBABILITY[best])
      best = stage;
  }
  return best;
};

const nextAssessmentStage = (current: Stage): Stage | undefined => {
  const index = ASSESSMENT_SEQUENCE.indexOf(current);
  return index === -1 ? ASSESSMENT_SEQUENCE[0] : ASSESSMENT_SEQUENCE[index + 1];
};

const isAssessment = (deal: Pick<Deal, 'assessmentLocation'>): boolean =>
  deal.assessmentLocation !== undefined;

/** The deal at its new stage, or the same deal when nothing changes. */
export const moveToStage = (deal: Deal, stage: SettableStage, companyStage?: CompanyStage): Deal => {
  if (deal.status !== 'accepted') {
    throw new ConflictError(
      'invalid-transition',
      `A ${deal.status} deal has no stages to move; accept it first.`,
    );
  }
  if (isAssessment(deal)) {
    const expected = nextAssessmentStage(deal.stage);
    if (stage !== expected) {
      throw new BusinessRuleError(
        'assessment-sequence',
        expected
          ? `A solution-assessment deal at ${deal.stage} moves to ${expected} next.`
          : 'A negotiated solution-assessment deal can only be closed.',
      );
    }
  } else if ((stage === 'created' || stage === 'accepted') && stage !== entryStage(deal)) {
    throw new BusinessRuleError(
      'invalid-stage',
      `This deal's entry stage is ${entryStage(deal)}, not ${stage}.`,
    );
  }
  const next: Deal = { ...deal, stage, probability: STAGE_PROBABILITY[stage] };
  if (companyStage) next.companyStage = companyStage;
  else delete next.companyStage;
  return next;
};

/** Won requires an accepted deal; for solution-assessment deals also the full sequence. */
export const requireWinnable = (deal: Deal): void => {
  if (deal.status !== 'accepted') {
    throw new ConflictError('invalid-transition', `A ${deal.status} deal cannot be won; accept it first.`);
  }
  if (isAssessment(deal) && deal.stage !== 'negotiated') {
    throw new BusinessRuleError(
      'assessment-sequence',
      'A solution-assessment deal can be won only after it reached negotiated.',
    );
  }
};

/**
 * What a client may offer for this deal's stage now, as `moveToStage` and `requireWinnable` decide:
 * the standard stages it may be set to (pipeline order), whether a company's own stage may be
 * given instead, the mandatory sequence of a solution-assessment deal (`null` for an ordinary
 * one), and the outcomes closing may record.
 */
export type StageChoices = {
  stages: SettableStage[];
  companyStage: boolean;
  sequence: readonly Stage[] | null;
  outcomes: ('won' | 'lost')[];
};

export const stageChoices = (deal: Deal): StageChoices => {
  const sequence = isAssessment(deal) ? ASSESSMENT_SEQUENCE : null;
  if (deal.status !== 'accepted') return { stages: [], companyStage: false, sequence, outcomes: [] };
  if (sequence) {
    const next = nextAssessmentStage(deal.stage);
    return {
      stages: next ? [next as SettableStage] : [],
      // The sequence names each stage; a company's stage would only map onto the one next anyway.
      companyStage: false,
      sequence,
      outcomes: deal.stage === sequence.at(-1) ? ['won', 'lost'] : ['lost'],
    };
  }
  const entry = entryStage(deal);
  return {
    stages: SETTABLE_STAGES.filter(
      (stage) => (stage !== 'created' && stage !== 'accepted') || stage === entry,
    ),
    companyStage: true,
    sequence,
    outcomes: ['won', 'lost'],
  };
};
