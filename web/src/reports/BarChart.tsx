/**
 * A horizontal bar chart in plain SVG: each bucket's count and its value per currency, repeated in
 * its accessible name. Names show through `label` (a status's label; a campaign id as written).
 */
import type { Schemas } from '@co-sell/client';
import { formatMoney } from '../common/ui/format.ts';

type Bucket = Schemas['PipelineReport']['byStatus']['won'];
/** Status, stage and campaign buckets alike: a count and values per currency under each name. */
type Buckets = { readonly [name: string]: Bucket | undefined };

/** A bucket's value, per currency, as money. */
const moneyIn = (bucket: Bucket | undefined): string =>
  Object.entries(bucket?.value ?? {})
    .map(([currency, amount]) => formatMoney({ amount, currency: currency as Schemas['Money']['currency'] }))
    .join(' + ');

export const BarChart = ({
  title,
  buckets,
  order,
  label = (key) => key,
}: {
  title: string;
  buckets: Buckets;
  order?: readonly string[];
  label?: (key: string) => string;
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
        aria-label={`${title}: ${keys
          .map((key) => {
            const value = moneyIn(buckets[key]);
            return `${label(key)} ${buckets[key]?.count ?? 0}${value ? ` (${value})` : ''}`;
          })
          .join(', ')}`}
      >
        {keys.map((key, index) => {
          const count = buckets[key]?.count ?? 0;
          // Room after the bar for the count and the value.
          const barWidth = ((width - labelWidth - 180) * count) / max;
          return (
            <g key={key} transform={`translate(0 ${index * row})`}>
              <text x={labelWidth - 8} y={row / 2 + 5} textAnchor="end" className="chart-label">
                {label(key)}
              </text>
              <rect x={labelWidth} y={4} width={barWidth} height={row - 8} className="bar" />
              <text x={labelWidth + barWidth + 6} y={row / 2 + 5} className="chart-label">
                {count}
                {moneyIn(buckets[key]) ? ` · ${moneyIn(buckets[key])}` : ''}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
};
