/**
 * Partner search — docs/domain.md §8, docs/api.md `GET /v1/partners?q=`.
 * Input: a name prefix. Output: partner orgs (never the caller's own), ranked: an exact name first,
 * then faster responders (median answer time over 90 days), then higher answer rates, then those
 * without history, then by name. Ranking needs the whole candidate set, so the search ranks the first
 * 100 name matches (one Query) and pages through that ranking; a shorter prefix than that is too vague.
 */

import type { Deps } from '../deps.ts';
import type { Organization } from '../identity/model.ts';
import type { Actor } from '../kernel/actor.ts';
import type { Page, PageRequest } from '../kernel/page.ts';
import { type Responsiveness, summarize, windowStart } from './responsiveness.ts';

export const MAX_CANDIDATES = 100;

export type RankedPartner = { org: Organization; responsiveness: Responsiveness };

const compare =
  (q: string) =>
  (a: RankedPartner, b: RankedPartner): number => {
    const exact = (p: RankedPartner) => (p.org.name.trim().toLowerCase() === q ? 0 : 1);
    const median = (p: RankedPartner) => p.responsiveness.medianResponseHours ?? Number.POSITIVE_INFINITY;
    const rate = (p: RankedPartner) => p.responsiveness.answerRate ?? -1;
    return (
      exact(a) - exact(b) ||
      median(a) - median(b) ||
      rate(b) - rate(a) ||
      a.org.name.localeCompare(b.org.name) ||
      a.org.id.localeCompare(b.org.id)
    );
  };

export const searchPartners = async (
  deps: Deps,
  actor: Actor,
  prefix: string,
  page: PageRequest,
): Promise<Page<RankedPartner>> => {
  const q = prefix.trim().toLowerCase();
  // Only the co-sell ecosystem: orgs with at least one co-sell-ready solution.
  const candidates = (await deps.orgs.searchPartners(q, { limit: MAX_CANDIDATES + 1 })).items.filter(
    (org) => org.id !== actor.orgId && (org.coSellReadySolutions ?? 0) > 0,
  );
  const now = deps.clock.now();
  const from = windowStart(now);
  const counters = await deps.responsiveness.counters(
    candidates.map((org) => org.id),
    from,
    now.toISOString().slice(0, 10),
  );
  const ranked = candidates
    .slice(0, MAX_CANDIDATES)
    .map((org) => ({ org, responsiveness: summarize(counters.get(org.id) ?? new Map(), from) }))
    .sort(compare(q));
  const start = typeof page.after?.offset === 'number' ? page.after.offset : 0;
  const end = start + page.limit;
  return { items: ranked.slice(start, end), ...(end < ranked.length ? { next: { offset: end } } : {}) };
};
