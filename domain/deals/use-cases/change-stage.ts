/**
 * Move a deal to a sales stage — design §3.
 * Input: a standard stage, or a company-specific stage name with its probability (mapped to the
 * standard stage with the highest probability not above it; the deal keeps both).
 * Output: the deal at its new stage. Rules: see ../rules/stages.ts.
 */
import type { Actor } from '../../actor.ts';
import { dealEvent } from '../../events.ts';
import type { DealView, Deps } from '../../ports.ts';
import { mapCompanyStage, moveToStage, type SettableStage } from '../rules/stages.ts';
import { mutateDeal } from './write.ts';

export type ChangeStageInput = { stage: SettableStage } | { stageName: string; probability: number };

export const changeStage = (
  deps: Deps,
  actor: Actor,
  dealId: string,
  input: ChangeStageInput,
  ifMatch: number | undefined,
): Promise<DealView> =>
  mutateDeal(
    deps,
    actor,
    dealId,
    { action: 'stage-changed', ifMatch, events: (_, next) => [dealEvent('deal.updated', next)] },
    (deal) =>
      'stage' in input
        ? moveToStage(deal, input.stage)
        : moveToStage(deal, mapCompanyStage(deal, input.probability), {
            name: input.stageName,
            probability: input.probability,
          }),
  );
