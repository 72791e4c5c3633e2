/** Moving the deal to a standard stage, or to the company's own stage with its probability. */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { api } from '../../common/api.ts';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { humanize } from '../../common/ui/format.ts';
import { done } from '../../common/ui/toast.ts';
import { STAGE_PROBABILITY, STAGES, type Stage } from '../labels.ts';
import { useDealChange } from '../use-deal-change.ts';
import type { DealDialogProps } from './props.ts';

type Body = Schemas['ChangeStageBodyInput'];
type MovableStage = NonNullable<Body['stage']>;

/** A deal starts in `created`/`accepted` and reaches `won` by closing: none of these is chosen here. */
const MOVABLE_STAGES = STAGES.filter(
  (stage): stage is MovableStage & Stage => stage !== 'created' && stage !== 'accepted' && stage !== 'won',
);
const isMovable = (stage: Stage): stage is MovableStage & Stage =>
  (MOVABLE_STAGES as readonly Stage[]).includes(stage);

export const StageDialog = ({ deal, onClose }: DealDialogProps) => {
  const [mode, setMode] = useState<'standard' | 'company'>('standard');
  const [stage, setStage] = useState<MovableStage>(isMovable(deal.stage) ? deal.stage : 'qualified');
  const [stageName, setStageName] = useState(deal.companyStage?.name ?? '');
  const [probability, setProbability] = useState(String(deal.companyStage?.probability ?? ''));
  const change = useDealChange(
    deal.id,
    (body: Body, headers) =>
      api.POST('/v1/deals/{id}/stage', { params: { path: { id: deal.id } }, body, headers }),
    // The stage bar moves at once; a refusal puts it back.
    (current, body) =>
      body.stage ? { ...current, stage: body.stage, probability: STAGE_PROBABILITY[body.stage] } : current,
  );
  return (
    <Dialog
      title="Change the stage"
      open
      onClose={onClose}
      confirm="Change stage"
      busy={change.isPending}
      error={change.error}
      shownPaths={['stage', 'stageName', 'probability']}
      onSubmit={() =>
        change.mutate(
          mode === 'standard' ? { stage } : { stageName: stageName.trim(), probability: Number(probability) },
          { onSuccess: done(onClose, 'The stage was changed.') },
        )
      }
    >
      <fieldset>
        <legend>Stage</legend>
        {MOVABLE_STAGES.map((value) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name="stage"
              value={value}
              checked={mode === 'standard' && stage === value}
              onChange={() => {
                setMode('standard');
                setStage(value);
              }}
            />
            {humanize(value)} ({STAGE_PROBABILITY[value]}%)
          </label>
        ))}
        <label className="choice">
          <input
            type="radio"
            name="stage"
            value="company"
            checked={mode === 'company'}
            onChange={() => setMode('company')}
          />
          Your company's stage
        </label>
      </fieldset>
      {mode === 'company' ? (
        <div className="row">
          <Field label="Company stage" error={change.error} path="stageName" required>
            {(props) => <input {...props} value={stageName} onChange={(e) => setStageName(e.target.value)} />}
          </Field>
          <Field label="Probability (%)" error={change.error} path="probability" required>
            {(props) => (
              <input
                {...props}
                type="number"
                min={0}
                max={100}
                value={probability}
                onChange={(e) => setProbability(e.target.value)}
              />
            )}
          </Field>
        </div>
      ) : null}
    </Dialog>
  );
};
