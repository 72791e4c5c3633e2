/**
 * Partner suggestions: the scoring (docs/domain.md §8, "Partner suggestions"). Pure: given the
 * candidates, their responsiveness and their signal tallies for the deal's features, it ranks them
 * and explains each rank. The same inputs at the same day give the same order.
 *
 * score = 0.6 × (1 + affinity) / 2 + 0.25 × responsiveness + 0.15 × matching solution, from 0 to 1:
 * - affinity, from −1 to 1: for each feature group the deal has (location 1, solutions 1, solution
 *   kinds 0.5, help type 0.5, value band 0.5), fit = (accepts − not-a-fit declines) / (all answers + 1)
 *   over the org's decayed tallies of the deal's values in that group; affinity is the weighted mean.
 *   Other declines and expiries only dilute (they say little about fit); the 1 keeps one answer
 *   from weighing like many.
 * - responsiveness, from 0 to 1: partner search's order (the median answer-time bucket first, then
 *   the answer rate, over 90 days) as a number; 0 without any invitation.
 * - matching solution: 1 when the deal already names one of the org's co-sell-ready solutions.
 * Ties: the more responsive first, then by org id.
 */
import type { HelpType } from '../deals/model.ts';
import type { Solution } from '../directory/model.ts';
import { RESPONSE_BUCKETS_HOURS, type Responsiveness } from './responsiveness.ts';
import { decayed, type SignalFeature, type SignalFeatureName, type SignalTally } from './signals.ts';

export const SUGGESTION_REASON_CODES = [
  'matching-solution',
  'accepts-similar-deals',
  'active-in-location',
  'responds-quickly',
  'declines-similar-deals',
] as const;
export type SuggestionReasonCode = (typeof SUGGESTION_REASON_CODES)[number];
export type SuggestionReason = { code: SuggestionReasonCode; text: string };

/** What the ranking rests on: answers to similar deals, or (no candidate has any yet) responsiveness alone. */
export const SUGGESTION_BASES = ['similar-deals', 'responsiveness'] as const;
export type SuggestionBasis = (typeof SUGGESTION_BASES)[number];

export const SCORE_WEIGHTS = { affinity: 0.6, responsiveness: 0.25, matchingSolution: 0.15 } as const;
export const FEATURE_WEIGHTS: Readonly<Record<SignalFeatureName, number>> = {
  location: 1,
  solution: 1,
  kind: 0.5,
  help: 0.5,
  value: 0.5,
};
/** Pseudo-answers in each fit's denominator: one answer alone moves a fit by at most a half. */
export const FIT_PRIOR = 1;
/** A fit or affinity at least this far from 0 is worth a reason. */
export const REASON_THRESHOLD = 0.2;
/** A median answer time within this many hours is quick. */
export const QUICK_HOURS = 24;

export type Candidate = { orgId: string; solutions: readonly Pick<Solution, 'id' | 'name'>[] };

export type ScoredCandidate = {
  orgId: string;
  score: number;
  affinity: number;
  responsiveness: number;
  reasons: SuggestionReason[];
  solutions: Pick<Solution, 'id' | 'name'>[];
};

export type RankInput = {
  candidates: readonly Candidate[];
  /** The deal's features (signals.ts `featuresOf`). */
  features: readonly SignalFeature[];
  /** The deal's own solutions, to tell which candidate's solution it already names. */
  dealSolutionIds: readonly string[];
  /** Tallies of the deal's feature values, any org's (others are ignored). */
  tallies: readonly SignalTally[];
  responsiveness: ReadonlyMap<string, Responsiveness>;
  now: Date;
};

const HELP_WORDS: Readonly<Record<HelpType, string>> = {
  none: 'no',
  general: 'general',
  architecture: 'architecture',
  technical: 'technical',
  pricing: 'pricing',
  'executive-sponsor': 'executive-sponsor',
  'customer-introduction': 'customer-introduction',
};

/** Partner search's order as a number: faster median bucket first, then a higher answer rate. */
export const responsivenessScore = (r: Responsiveness | undefined): number => {
  if (!r || r.medianResponseHours === null) return 0;
  const buckets = RESPONSE_BUCKETS_HOURS.length;
  const index = RESPONSE_BUCKETS_HOURS.indexOf(
    r.medianResponseHours as (typeof RESPONSE_BUCKETS_HOURS)[number],
  );
  return (buckets - Math.max(index, 0) + 0.99 * (r.answerRate ?? 0)) / (buckets + 1);
};

type GroupFit = { fit: number; accepts: number };

/** Fit of each feature group of the deal for one org, from its tallies of the deal's values. */
const groupFits = (tallies: readonly SignalTally[], now: Date): Map<SignalFeatureName, GroupFit> => {
  const sums = new Map<SignalFeatureName, { a: number; n: number; all: number }>();
  for (const tally of tallies) {
    const w = decayed(tally, now);
    const sum = sums.get(tally.feature.name) ?? { a: 0, n: 0, all: 0 };
    sum.a += w.accepted;
    sum.n += w['not-a-fit'];
    sum.all += w.accepted + w['not-a-fit'] + w.declined + w.expired;
    sums.set(tally.feature.name, sum);
  }
  return new Map(
    [...sums].map(([name, { a, n, all }]) => [name, { fit: (a - n) / (all + FIT_PRIOR), accepts: a }]),
  );
};

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

const hoursText = (hours: number): string => (hours === 1 ? 'an hour' : `${hours} hours`);

const similarText = (names: SignalFeatureName[], features: readonly SignalFeature[]): string => {
  const location = features.find((f) => f.name === 'location')?.value;
  const help = features.find((f) => f.name === 'help')?.value as HelpType | undefined;
  const parts = names.map((name) => {
    switch (name) {
      case 'location':
        return `in ${location}`;
      case 'solution':
        return 'with these solutions';
      case 'kind':
        return 'with solutions of these kinds';
      case 'help':
        return `asking for ${help ? HELP_WORDS[help] : 'the same'} help`;
      default:
        return 'of this size';
    }
  });
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
};

/** Scores and explains each candidate, best first, and says what the ranking rests on. */
export const rankCandidates = (input: RankInput): { basis: SuggestionBasis; ranked: ScoredCandidate[] } => {
  const candidateIds = new Set(input.candidates.map((c) => c.orgId));
  const byOrg = new Map<string, SignalTally[]>();
  for (const tally of input.tallies) {
    if (!candidateIds.has(tally.orgId)) continue;
    byOrg.set(tally.orgId, [...(byOrg.get(tally.orgId) ?? []), tally]);
  }
  const basis: SuggestionBasis = byOrg.size > 0 ? 'similar-deals' : 'responsiveness';
  const groups = [...new Set(input.features.map((f) => f.name))];
  const totalWeight = groups.reduce((sum, name) => sum + FEATURE_WEIGHTS[name], 0);
  const location = input.features.find((f) => f.name === 'location')?.value;
  const dealSolutions = new Set(input.dealSolutionIds);

  const ranked = input.candidates.map((candidate): ScoredCandidate => {
    const fits = groupFits(byOrg.get(candidate.orgId) ?? [], input.now);
    const affinity =
      totalWeight > 0
        ? groups.reduce((sum, name) => sum + FEATURE_WEIGHTS[name] * (fits.get(name)?.fit ?? 0), 0) /
          totalWeight
        : 0;
    const stats = input.responsiveness.get(candidate.orgId);
    const responsiveness = responsivenessScore(stats);
    const named = candidate.solutions.filter((s) => dealSolutions.has(s.id));
    const score =
      SCORE_WEIGHTS.affinity * ((1 + affinity) / 2) +
      SCORE_WEIGHTS.responsiveness * responsiveness +
      SCORE_WEIGHTS.matchingSolution * (named.length > 0 ? 1 : 0);

    const reasons: SuggestionReason[] = [];
    if (named.length > 0) {
      reasons.push({
        code: 'matching-solution',
        text: `Offers ${named.map((s) => s.name).join(', ')}, which this deal names.`,
      });
    }
    if (affinity >= REASON_THRESHOLD) {
      const similar = groups.filter((name) => (fits.get(name)?.fit ?? 0) >= REASON_THRESHOLD);
      reasons.push({
        code: 'accepts-similar-deals',
        text: `Usually accepts deals like this one${similarText(similar, input.features)}.`,
      });
    }
    const inLocation = fits.get('location');
    if (location !== undefined && inLocation && inLocation.fit > 0 && inLocation.accepts >= 0.5) {
      reasons.push({ code: 'active-in-location', text: `Takes on deals in ${location}.` });
    }
    if (stats?.medianResponseHours != null && stats.medianResponseHours <= QUICK_HOURS) {
      reasons.push({
        code: 'responds-quickly',
        text: `Usually answers invitations within ${hoursText(stats.medianResponseHours)}.`,
      });
    }
    if (affinity <= -REASON_THRESHOLD) {
      reasons.push({
        code: 'declines-similar-deals',
        text: 'Has turned down deals like this one as not a fit.',
      });
    }
    return {
      orgId: candidate.orgId,
      score: round(score),
      affinity: round(affinity),
      responsiveness: round(responsiveness),
      reasons,
      solutions: [...candidate.solutions].sort(
        (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
      ),
    };
  });
  ranked.sort(
    (a, b) =>
      b.score - a.score ||
      b.responsiveness - a.responsiveness ||
      (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0),
  );
  return { basis, ranked };
};

/** Decay is computed at the start of the day: within a day, the same data gives the same scores. */
export const scoringDay = (now: Date): Date => new Date(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`);
