/** A horizontal bar chart in plain SVG, its numbers repeated in its accessible name. */
import type { Schemas } from '@co-sell/client';
import { humanize } from '../common/ui/format.ts';

type Bucket = Schemas['PipelineReport']['byStatus']['won'];
/** Status, stage and campaign buckets alike: a count and values per currency under each name. */
type Buckets = { readonly [name: string]: Bucket | undefined };

export const BarChart = ({
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
