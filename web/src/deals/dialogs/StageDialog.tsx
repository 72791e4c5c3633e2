/**
 * Moving the deal to a standard stage, or to the company's own stage with its probability. The
 * stages offered are the deal's `stageChoices` as the API sends them: any open stage of an
 * ordinary deal, and for a solution-assessment deal its sequence with only the next stage to mark.
 */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { api } from '../../common/api.ts';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { formatPercent, humanize } from '../../common/ui/format.ts';
import { done } from '../../common/ui/toast.ts';
import { STAGE_PROBABILITY, STAGES } from '../labels.ts';
import type { Deal } from '../queries.ts';
import { useDealChange } from '../use-deal-change.ts';
import type { DealDialogProps } from './props.ts';

type Body = Schemas['ChangeStageBodyInput'];
type MovableStage = NonNullable<Body['stage']>;

const stageLabel = (stage: Deal['stage']) =>
  `${humanize(stage)} (${formatPercent(STAGE_PROBABILITY[stage])})`;

/** A solution-assessment deal's stages in order: those marked, the one to mark next, the rest after it. */
const Sequence = ({ deal, sequence }: { deal: Deal; sequence: readonly Deal['stage'][] }) => {
  const reached = STAGES.indexOf(deal.stage);
  return (
    <>
      <p id="sequence-hint">
        A solution assessment marks every stage in this order; it can be won once it is negotiated.
      </p>
      <ol className="sequence" aria-label="Assessment stages" aria-describedby="sequence-hint">
        {sequence.map((stage) => {
          const done = STAGES.indexOf(stage) <= reached;
          const next = deal.stageChoices.stages.includes(stage as MovableStage);
          return (
            <li
              key={stage}
              className={done ? 'done' : next ? 'current' : ''}
              {...(stage === deal.stage ? { 'aria-current': 'step' as const } : {})}
            >
              {stageLabel(stage)}
              {done ? ' — marked' : next ? ' — next' : ''}
            </li>
          );
        })}
      </ol>
    </>
  );
};

export const StageDialog = ({ deal, onClose }: DealDialogProps) => {
  const { stages, companyStage, sequence } = deal.stageChoices;
  const offered = stages as MovableStage[];
  const [mode, setMode] = useState<'standard' | 'company'>(
    offered.length === 0 && companyStage ? 'company' : 'standard',
  );
  const [stage, setStage] = useState<MovableStage | undefined>(
    offered.find((value) => value === deal.stage) ??
      offered.find((value) => STAGES.indexOf(value) > 1) ??
      offered[0],
  );
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
          mode === 'standard'
            ? stage
              ? { stage }
              : {}
            : { stageName: stageName.trim(), probability: Number(probability) },
          { onSuccess: done(onClose, 'The stage was changed.') },
        )
      }
    >
      {sequence ? <Sequence deal={deal} sequence={sequence} /> : null}
      <fieldset>
        <legend>{sequence ? 'Stage to mark' : 'Stage'}</legend>
        {offered.map((value) => (
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
            {stageLabel(value)}
          </label>
        ))}
        {companyStage ? (
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
        ) : null}
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
