/** The standard stages in pipeline order with their probabilities, the deal's own marked; and its company stage. */
import { formatPercent, humanize } from '../../common/ui/format.ts';
import { STAGE_PROBABILITY, STAGES } from '../labels.ts';
import type { Deal } from '../queries.ts';

export const StageBar = ({ deal }: { deal: Deal }) => {
  const current = STAGES.indexOf(deal.stage);
  return (
    <section aria-labelledby="stage-heading">
      <h2 id="stage-heading">Stage</h2>
      <ol className="stagebar">
        {STAGES.map((stage, index) => (
          <li
            key={stage}
            className={index < current ? 'done' : index === current ? 'current' : ''}
            {...(index === current ? { 'aria-current': 'step' as const } : {})}
          >
            <span>{humanize(stage)}</span> <small>{formatPercent(STAGE_PROBABILITY[stage])}</small>
          </li>
        ))}
      </ol>
      {deal.companyStage ? (
        <p>
          Company stage: {deal.companyStage.name} ({formatPercent(deal.companyStage.probability)})
        </p>
      ) : null}
    </section>
  );
};
