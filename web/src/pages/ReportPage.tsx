/** The pipeline report (`/reports/pipeline`) as bar charts in plain SVG: deals by status, by stage and by campaign. */
import type { Schemas } from '@co-sell/client';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api.ts';
import { STAGES } from '../labels.ts';
import { useTitle } from '../router.tsx';
import { humanize, Loading, ProblemMessage } from '../ui.tsx';

type Bucket = Schemas['PipelineReport']['byStatus']['won'];
/** Status, stage and campaign buckets alike: a count and values per currency under each name. */
type Buckets = { readonly [name: string]: Bucket | undefined };

const BarChart = ({
  title,
  buckets,
  order,
}: {
  title: string;
  buckets: Buckets;
  order?: readonly string[];
}) => {
  const keys = order ? order.filter((key) => buckets[key]) : Object.keys(buckets);
  const max = Math.max(1, ...keys.map((key) => buckets[key]?.count ?? 0));
  const row = 28;
  const width = 480;
  const labelWidth = 120;
  return (
    <figure>
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${Math.max(row, keys.length * row)}`}
        role="img"
        aria-label={`${title}: ${keys.map((key) => `${key} ${buckets[key]?.count ?? 0}`).join(', ')}`}
      >
        {keys.map((key, index) => {
          const count = buckets[key]?.count ?? 0;
          const barWidth = ((width - labelWidth - 40) * count) / max;
          return (
            <g key={key} transform={`translate(0 ${index * row})`}>
              <text x={labelWidth - 8} y={row / 2 + 5} textAnchor="end" className="chart-label">
                {humanize(key)}
              </text>
              <rect x={labelWidth} y={4} width={barWidth} height={row - 8} className="bar" />
              <text x={labelWidth + barWidth + 6} y={row / 2 + 5} className="chart-label">
                {count}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
};

export const ReportPage = () => {
  useTitle('Pipeline');
  const report = useQuery({
    queryKey: ['report', 'pipeline'],
    queryFn: async () => (await unwrap(api.GET('/v1/reports/pipeline'))).data,
  });
  const data = report.data;
  return (
    <main id="main">
      <h1>Pipeline</h1>
      <ProblemMessage error={report.error} />
      {report.isPending ? <Loading what="the report" /> : null}
      {data ? (
        <>
          <p>
            {data.dealsCounted} deals · win rate{' '}
            {data.winRate === null ? '—' : `${Math.round(data.winRate * 100)}%`} · median response{' '}
            {data.medianResponseHours === null ? '—' : `${Math.round(data.medianResponseHours)} h`}
            {data.truncated ? ' · only the most recent deals are counted' : ''}
          </p>
          <div className="charts">
            <BarChart title="Deals by status" buckets={data.byStatus} />
            <BarChart title="Deals by stage" buckets={data.byStage} order={STAGES} />
            {Object.keys(data.byCampaign).length > 0 ? (
              <BarChart title="Deals by campaign" buckets={data.byCampaign} />
            ) : null}
          </div>
        </>
      ) : null}
    </main>
  );
};
