import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Deal, isTerminal, LOST_REASONS, STAGE_PROBABILITY } from '#domain/deals/model.ts';
import { ASSESSMENT_SEQUENCE, SETTABLE_STAGES } from '#domain/deals/rules/stages.ts';
import { changeStage } from '#domain/deals/use-cases/change-stage.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { setFavorite } from '#domain/deals/use-cases/favorites.ts';
import { dealHistory, getVisibleDeal } from '#domain/deals/use-cases/read-deals.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import { DomainError } from '#domain/kernel/errors.ts';
import { dealWorld } from '#test/support/deal-world.ts';

type Action =
  | { kind: 'rename'; name: string }
  | { kind: 'stage'; stage: (typeof SETTABLE_STAGES)[number] }
  | { kind: 'company-stage'; probability: number }
  | { kind: 'won' }
  | { kind: 'lost'; reason: (typeof LOST_REASONS)[number] }
  | { kind: 'favorite'; on: boolean };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('rename' as const), name: fc.string({ minLength: 1, maxLength: 20 }) }),
  fc.record({ kind: fc.constant('stage' as const), stage: fc.constantFrom(...SETTABLE_STAGES) }),
  fc.record({ kind: fc.constant('company-stage' as const), probability: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ kind: fc.constant('won' as const) }),
  fc.record({ kind: fc.constant('lost' as const), reason: fc.constantFrom(...LOST_REASONS) }),
  fc.record({ kind: fc.constant('favorite' as const), on: fc.boolean() }),
);

/** The deal without what a favorite toggle or the clock may legitimately touch. */
const essence = (deal: Deal) => ({ ...deal, updatedAt: undefined });

describe('the deal state machine (property-based)', () => {
  it('never reaches a forbidden state, and terminal deals never change', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(action, { minLength: 1, maxLength: 25 }),
        async (assessment, actions) => {
          const w = await dealWorld();
          const actor = assessment ? w.assessor : w.partner;
          const created = await w.create(
            actor,
            assessment ? { solutions: [w.assessmentType.id], assessmentLocation: 'DE' } : {},
          );
          let previous = created;
          for (const step of actions) {
            const run = (): Promise<unknown> => {
              switch (step.kind) {
                case 'rename':
                  return updateDeal(w.deps, actor, { dealId: created.id, name: step.name });
                case 'stage':
                  return changeStage(w.deps, actor, { dealId: created.id, stage: step.stage });
                case 'company-stage':
                  return changeStage(w.deps, actor, {
                    dealId: created.id,
                    stageName: 'Ours',
                    probability: step.probability,
                  });
                case 'won':
                  return closeDeal(w.deps, actor, { dealId: created.id, outcome: 'won' });
                case 'lost':
                  return closeDeal(w.deps, actor, {
                    dealId: created.id,
                    outcome: 'lost',
                    reason: step.reason,
                  });
                case 'favorite':
                  return setFavorite(w.deps, actor, { dealId: created.id, favorite: step.on });
              }
            };
            const outcome = await run().then(
              () => 'ok' as const,
              (error: unknown) => {
                // Refusals are domain errors; anything else is a bug.
                expect(error).toBeInstanceOf(DomainError);
                return 'refused' as const;
              },
            );
            const { deal } = await getVisibleDeal(w.deps, actor, created.id);

            if (isTerminal(previous.status)) expect(essence(deal)).toEqual(essence(previous));
            if (outcome === 'refused') expect(deal).toEqual(previous);
            expect(['accepted', 'won', 'lost']).toContain(deal.status);
            expect(deal.probability).toBe(STAGE_PROBABILITY[deal.stage]);
            expect(deal.stage === 'won').toBe(deal.status === 'won');
            if (assessment && deal.stage !== previous.stage) {
              const from = ASSESSMENT_SEQUENCE.indexOf(previous.stage);
              if (deal.stage === 'won') expect(previous.stage).toBe('negotiated');
              else expect(ASSESSMENT_SEQUENCE.indexOf(deal.stage)).toBe(from + 1);
            }
            const entries = (await dealHistory(w.deps, actor, created.id, { limit: 100 })).items;
            expect(entries).toHaveLength(deal.version);
            previous = deal;
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
