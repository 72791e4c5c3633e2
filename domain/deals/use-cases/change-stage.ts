/**
 * Move a deal to a sales stage — docs/domain.md §3.
 * Input: a standard stage, or a company-specific stage name with its probability (mapped to the
 * standard stage with the highest probability not above it; the deal keeps both).
 * Output: the deal at its new stage. Rules: see ../rules/stages.ts.
 */

import type { Deps } from '../../deps.ts';
import type { Actor } from '../../kernel/actor.ts';
import { dealEvent } from '../../kernel/events.ts';
import type { DealView } from '../ports.ts';
import { nextVersion } from '../rules/plan.ts';
import { mapCompanyStage, moveToStage, type SettableStage } from '../rules/stages.ts';
import { authorizeDealChange, changeDeal, commitChange, type DealRef, readForChange } from './write.ts';

export type ChangeStageInput = { stage: SettableStage } | { stageName: string; probability: number };

export const changeStage = (
  deps: Deps,
  actor: Actor,
  command: DealRef & ChangeStageInput,
): Promise<DealView> =>
  changeDeal(deps, command.expectedVersion, async () => {
    const stored = await readForChange(deps, actor, command);
    const { deal } = stored;
    const proposed =
      'stage' in command
        ? moveToStage(deal, command.stage)
        : moveToStage(deal, mapCompanyStage(deal, command.probability), {
            name: command.stageName,
            probability: command.probability,
          });
    const next = nextVersion(deal, proposed, deps.clock.now());
    return commitChange(deps, actor, stored, next, {
      action: 'stage-changed',
      // `change: stage` tells webhooks a stage change (deal.stage-changed) from an edit.
      events: (next) => [dealEvent('deal.updated', next, { detail: { change: 'stage' } })],
    });
  });

/** Who may move the deal's stage: whoever may change it (`authorizeDealChange`). */
export const authorizeChangeStage = authorizeDealChange;
