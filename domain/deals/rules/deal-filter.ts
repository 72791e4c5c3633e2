/**
 * What a connector or a console asks of `GET /v1/deals` (docs/api.md): which deals a list holds.
 * The stores pick the index that serves the page; this predicate is the rule every entry read is
 * held to, so an index that narrows less than the filter (several statuses, a customer prefix)
 * never lets a wrong deal through.
 */
import {
  type Deal,
  type DealStatus,
  type DealType,
  type Direction,
  FILTER_TEXTS,
  type FilterText,
} from '../model.ts';
import { dealType } from './deal-type.ts';

/** The filter texts (model.ts `DEAL_TEXTS`) match exactly. */
export type DealFilter = {
  direction?: Direction;
  statuses?: readonly DealStatus[];
  type?: DealType;
  location?: string;
  /** A prefix of the customer's name, compared trimmed and case-insensitively. */
  customer?: string;
  /** An instant (ISO 8601, UTC): only deals whose `updatedAt` is at or after it. */
  updatedSince?: string;
  /** Only deals this person (a normalized email) owns; `null`: only deals nobody owns. */
  owner?: string | null;
} & { [K in FilterText]?: string };

const folded = (name: string): string => name.trim().toLowerCase();

export const matchesDealFilter = (deal: Deal, filter: DealFilter): boolean =>
  (filter.direction === undefined || deal.direction === filter.direction) &&
  (filter.statuses === undefined || filter.statuses.includes(deal.status)) &&
  (filter.type === undefined || dealType(deal) === filter.type) &&
  (filter.location === undefined || deal.location === filter.location) &&
  (filter.customer === undefined || folded(deal.customer.name).startsWith(folded(filter.customer))) &&
  FILTER_TEXTS.every((field) => filter[field] === undefined || deal[field] === filter[field]) &&
  (filter.updatedSince === undefined || deal.updatedAt >= filter.updatedSince) &&
  (filter.owner === undefined ||
    (filter.owner === null ? deal.owner === undefined : deal.owner?.email.toLowerCase() === filter.owner));

/**
 * A delta sync returns only changes at least this old. A deal's `updatedAt` is stamped before its
 * transaction commits, and the index a sync reads is eventually consistent, so a change can become
 * readable after a later one was already returned; holding back the most recent seconds means a
 * client that continues from the last `updatedAt` it saw never skips one.
 */
export const SYNC_SETTLE_MS = 5_000;

/** The newest `updatedAt` a sync read at `now` may return. */
export const syncHorizon = (now: Date): string => new Date(now.getTime() - SYNC_SETTLE_MS).toISOString();
