/**
 * The pipeline report — docs/domain.md §8, docs/api.md `GET /v1/reports/pipeline`.
 * Output: for the caller's org and scope, count and value (per currency) by status and by stage, the
 * win rate (won and closed among won, closed and lost) and the median time to answer invitations over
 * the last 90 days. Bounded: it reads the org's most recent 2,000 deals (a Query on the org's
 * partition, newest first) and says so when there were more; a referral-user's report counts only
 * the deals it may see. With a campaign id it counts only that campaign's deals; `byCampaign` groups
 * the counted deals that carry a campaign id by it (campaign ROI), next to `byStatus`.
 */

import { DEAL_STATUSES, type Deal, type DealStatus, STAGES, type Stage } from '../deals/model.ts';
import { canSeeDeal } from '../deals/rules/visibility.ts';
import type { Deps } from '../deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { CURRENCY_MINOR_UNITS, FINEST_MINOR_UNIT } from '../kernel/money.ts';
import { summarize, windowStart } from './responsiveness.ts';

export const REPORT_MAX_DEALS = 2000;

export type Bucket = { count: number; value: Record<string, number> };

export type PipelineReport = {
  byStatus: Record<DealStatus, Bucket>;
  byStage: Record<Stage, Bucket>;
  /** The counted deals with a campaign id, by campaign id; deals without one are in no campaign. */
  byCampaign: Record<string, Bucket>;
  winRate: number | null;
  medianResponseHours: number | null;
  dealsCounted: number;
  /** True when the org has more deals than the report reads; the oldest were left out. */
  truncated: boolean;
};

const emptyBuckets = <K extends string>(keys: readonly K[]): Record<K, Bucket> =>
  Object.fromEntries(keys.map((key) => [key, { count: 0, value: {} }])) as Record<K, Bucket>;

const add = (bucket: Bucket, deal: Deal): void => {
  bucket.count += 1;
  const { currency, amount } = deal.value;
  // Rounded to the currency's minor unit, to keep sums of decimal amounts exact (BHD has 3 decimals).
  const scale = 10 ** (CURRENCY_MINOR_UNITS.get(currency) ?? FINEST_MINOR_UNIT);
  bucket.value[currency] = Math.round(((bucket.value[currency] ?? 0) + amount) * scale) / scale;
};

export type PipelineQuery = { campaignId?: string };

export const pipelineReport = async (
  deps: Deps,
  actor: Actor,
  query: PipelineQuery = {},
): Promise<PipelineReport> => {
  const now = deps.clock.now();
  const [read, counters] = await Promise.all([
    deps.deals.recentDeals(actor.orgId, REPORT_MAX_DEALS),
    deps.responsiveness.counters([actor.orgId], windowStart(now), now.toISOString().slice(0, 10)),
  ]);
  const deals = read.filter(
    (deal) =>
      canSeeDeal(actor, deal) && (query.campaignId === undefined || deal.campaignId === query.campaignId),
  );
  const byStatus = emptyBuckets(DEAL_STATUSES);
  const byStage = emptyBuckets(STAGES);
  const byCampaign: Record<string, Bucket> = {};
  for (const deal of deals) {
    add(byStatus[deal.status], deal);
    add(byStage[deal.stage], deal);
    if (deal.campaignId !== undefined) {
      byCampaign[deal.campaignId] ??= { count: 0, value: {} };
      add(byCampaign[deal.campaignId] as Bucket, deal);
    }
  }
  const won = byStatus.won.count + byStatus.closed.count;
  const decided = won + byStatus.lost.count;
  return {
    byStatus,
    byStage,
    byCampaign,
    winRate: decided > 0 ? won / decided : null,
    medianResponseHours: summarize(counters.get(actor.orgId) ?? new Map(), windowStart(now))
      .medianResponseHours,
    dealsCounted: deals.length,
    truncated: read.length >= REPORT_MAX_DEALS,
  };
};
