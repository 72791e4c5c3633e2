/** The pipeline report (`/reports/pipeline`) as bar charts in plain SVG: deals by status, by stage and by campaign. */
import { useQuery } from '@tanstack/react-query';
import { useTitle } from '../common/router.tsx';
import { formatShare, humanize } from '../common/ui/format.ts';
import { Loading } from '../common/ui/Loading.tsx';
import { ProblemMessage } from '../common/ui/ProblemMessage.tsx';
import { type DealStatus, STAGES, STATUS_LABELS } from '../deals/labels.ts';
import { BarChart } from './BarChart.tsx';
import { reportQueries } from './queries.ts';

export const ReportPage = () => {
  useTitle('Pipeline');
  const report = useQuery(reportQueries.pipeline());
  const data = report.data;
  return (
    <main id="main">
      <h1>Pipeline</h1>
      <ProblemMessage error={report.error} />
      {report.isPending ? <Loading what="the report" /> : null}
      {data ? (
        <>
          <p>
            {data.dealsCounted} deals · win rate {data.winRate === null ? '—' : formatShare(data.winRate)} ·
            median response{' '}
            {data.medianResponseHours === null ? '—' : `${Math.round(data.medianResponseHours)} h`}
            {data.truncated ? ' · only the most recent deals are counted' : ''}
          </p>
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
