/**
 * The pipeline report (`/reports/pipeline`) as bar charts in plain SVG: deals by status, by stage and
 * by campaign, with the open and won values in the locale's money. `?campaign=` narrows it to one
 * campaign's deals through the API's own `campaignId` filter; the campaigns offered are those the
 * whole report counts.
 */
import type { Schemas } from '@co-sell/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { navigate, useLocation, useTitle } from '../common/router.tsx';
import { Field } from '../common/ui/Field.tsx';
import { formatCount, formatMoney, formatShare, humanize } from '../common/ui/format.ts';
import { Loading } from '../common/ui/Loading.tsx';
import { ProblemMessage } from '../common/ui/ProblemMessage.tsx';
import { type DealStatus, STAGES, STATUS_LABELS } from '../deals/labels.ts';
import { BarChart } from './BarChart.tsx';
import { reportQueries } from './queries.ts';

type Report = Schemas['PipelineReport'];
type Bucket = Report['byStatus']['won'];

/** The buckets' values added per currency, written as money (`€1,000.00 + $20.00`), or `—`. */
const totalValue = (...buckets: Bucket[]): string => {
  const sums = new Map<string, number>();
  for (const bucket of buckets)
    for (const [currency, amount] of Object.entries(bucket.value))
      sums.set(currency, (sums.get(currency) ?? 0) + amount);
  return (
    [...sums]
      .map(([currency, amount]) =>
        formatMoney({ amount, currency: currency as Schemas['Money']['currency'] }),
      )
      .join(' + ') || '—'
  );
};

export const ReportPage = () => {
  useTitle('Pipeline');
  const location = useLocation();
  const campaign = location.query.get('campaign') ?? '';
  // The campaigns to choose from are the whole report's; the shown report is the chosen campaign's.
  const all = useQuery(reportQueries.pipeline());
  const report = useQuery({
    ...reportQueries.pipeline(campaign || undefined),
    placeholderData: keepPreviousData,
  });
  const data = report.data;
  const campaigns = Object.keys(all.data?.byCampaign ?? {}).sort();
  return (
    <main id="main">
      <h1>Pipeline</h1>
      <Field label="Campaign" hint="The marketing campaign id the deals carry.">
        {(props) => (
          <select
            {...props}
            value={campaign}
            onChange={(e) =>
              navigate(
                e.target.value
                  ? `/reports/pipeline?campaign=${encodeURIComponent(e.target.value)}`
                  : '/reports/pipeline',
                { replace: true },
              )
            }
          >
            <option value="">All deals</option>
            {/* A campaign named in the address but counted nowhere still shows as chosen. */}
            {(campaign && !campaigns.includes(campaign) ? [campaign, ...campaigns] : campaigns).map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ProblemMessage error={report.error} />
      {report.isPending ? <Loading what="the report" /> : null}
      {data ? (
        <>
          <dl className="details report-summary">
            <dt>Deals</dt>
            <dd>
              {formatCount(data.dealsCounted)}
              {data.truncated ? ' (only the most recent deals are counted)' : ''}
            </dd>
            <dt>Open value</dt>
            <dd>{totalValue(data.byStatus.received, data.byStatus.accepted)}</dd>
            <dt>Won value</dt>
            <dd>{totalValue(data.byStatus.won, data.byStatus.closed)}</dd>
            <dt>Win rate</dt>
            <dd>{data.winRate === null ? '—' : formatShare(data.winRate)}</dd>
            <dt>Median response</dt>
            <dd>{data.medianResponseHours === null ? '—' : `${Math.round(data.medianResponseHours)} h`}</dd>
          </dl>
          <div className="charts">
            <BarChart
              title="Deals by status"
              buckets={data.byStatus}
              label={(key) => STATUS_LABELS[key as DealStatus] ?? key}
            />
            <BarChart title="Deals by stage" buckets={data.byStage} order={STAGES} label={humanize} />
            {Object.keys(data.byCampaign).length > 0 ? (
              <BarChart title="Deals by campaign" buckets={data.byCampaign} />
            ) : null}
          </div>
        </>
      ) : null}
    </main>
  );
};
