/**
 * Answer signals (docs/domain.md §8, "Partner suggestions"): what an invitee org did with an
 * invitation, kept as per-org tallies by feature of the deal it was offered, so "orgs that answered
 * deals like this one" is one read per feature of the deal, however many invitations were ever
 * answered. A tally holds only the org's own counts and decayed weights for one feature value: never
 * a deal id, a customer or an amount.
 *
 * Time decay is forward decay with a half-life: an answer at time t adds 2^((t − era start) / half-life)
 * to its era's weight (the era is the answer's UTC year, so a weight stays below 2^(366/180) ≈ 4 and
 * never overflows), and a reader multiplies each era's sum by 2^(−(now − era start) / half-life). The
 * product is Σ 2^(−(now − t) / half-life) over the answers: each answer counts half as much every
 * 180 days, computed from sums that concurrent answers keep with atomic additions.
 */
import type { DeclineReason, HelpType } from '../deals/model.ts';
import type { SolutionKind } from '../directory/model.ts';
import type { Money } from '../kernel/money.ts';

/** The features a signal is kept by, in the order a deal's features are listed. */
export const SIGNAL_FEATURE_NAMES = ['location', 'solution', 'kind', 'help', 'value'] as const;
export type SignalFeatureName = (typeof SIGNAL_FEATURE_NAMES)[number];
export type SignalFeature = { name: SignalFeatureName; value: string };

/** What the invitee did: accepted, declined as not a fit, declined for another reason, or let it expire. */
export const SIGNAL_OUTCOMES = ['accepted', 'not-a-fit', 'declined', 'expired'] as const;
export type SignalOutcome = (typeof SIGNAL_OUTCOMES)[number];

export const DECAY_HALF_LIFE_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;
const HALF_LIFE_MS = DECAY_HALF_LIFE_DAYS * DAY_MS;

/** A deal's solutions counted at most: a deal lists up to 20, and each is one more item in the answer's transaction. */
export const MAX_SIGNAL_SOLUTIONS = 10;

/**
 * Fixed conversion to US dollars for the value band, as of 2026-01: the band is an order of
 * magnitude, so rates a few percent off move few deals, and fixed rates keep a deal's band the same
 * on every read. A currency not listed has no value band (its deals are compared by the other features).
 */
export const USD_PER_UNIT: Readonly<Record<string, number>> = {
  USD: 1,
  EUR: 1.08,
  GBP: 1.27,
  CHF: 1.13,
  JPY: 0.0067,
  CAD: 0.73,
  AUD: 0.66,
  NZD: 0.61,
  SEK: 0.095,
  NOK: 0.093,
  DKK: 0.145,
  PLN: 0.25,
  CZK: 0.043,
  HUF: 0.0027,
  INR: 0.012,
  CNY: 0.14,
  HKD: 0.128,
  SGD: 0.74,
  KRW: 0.00073,
  BRL: 0.18,
  MXN: 0.055,
  ZAR: 0.054,
  AED: 0.272,
  SAR: 0.267,
  ILS: 0.27,
  TRY: 0.03,
};

/** The order of magnitude of the value in US dollars (`1e5` for 100,000 to 999,999), or undefined. */
export const valueBand = (value: Money): string | undefined => {
  const rate = USD_PER_UNIT[value.currency];
  if (rate === undefined) return undefined;
  const usd = value.amount * rate;
  return `1e${usd >= 1 ? Math.floor(Math.log10(usd) + 1e-9) : 0}`;
};

/** What of a deal the ranking compares: its location, solutions, their kinds, the help asked, its value band. */
export type DealFeatures = {
  location: string;
  solutions: readonly string[];
  kinds: readonly SolutionKind[];
  helpType?: HelpType | undefined;
  value: Money;
};

/** The feature values of a deal, each once, solutions capped at `MAX_SIGNAL_SOLUTIONS`. */
export const featuresOf = (deal: DealFeatures): SignalFeature[] => {
  const band = valueBand(deal.value);
  return [
    { name: 'location', value: deal.location },
    ...[...new Set(deal.solutions)].slice(0, MAX_SIGNAL_SOLUTIONS).map((value) => ({
      name: 'solution' as const,
      value,
    })),
    ...[...new Set(deal.kinds)].sort().map((value) => ({ name: 'kind' as const, value })),
    ...(deal.helpType && deal.helpType !== 'none' ? [{ name: 'help' as const, value: deal.helpType }] : []),
    ...(band ? [{ name: 'value' as const, value: band }] : []),
  ];
};

export const signalOutcome = (
  status: 'accepted' | 'declined' | 'expired',
  reason: DeclineReason | undefined,
): SignalOutcome =>
  status === 'accepted'
    ? 'accepted'
    : status === 'expired'
      ? 'expired'
      : reason === 'not-a-fit'
        ? 'not-a-fit'
        : 'declined';

/** The era of a time (its UTC year) and when that era started. */
export const eraOf = (at: string): { era: string; start: number } => {
  const year = new Date(at).getUTCFullYear();
  return { era: String(year), start: Date.UTC(year, 0, 1) };
};

/** What one answer adds to its era's weight: 2^((t − era start) / half-life). */
export const decayWeight = (at: string): { era: string; weight: number } => {
  const { era, start } = eraOf(at);
  return { era, weight: 2 ** ((Date.parse(at) - start) / HALF_LIFE_MS) };
};

/**
 * One answer as the signal tallies count it: the invitee org, the features of the deal it was
 * offered, what it did, when, and the weight it adds. Recorded in the answer's own transaction.
 */
export type AnswerSignal = {
  orgId: string;
  features: SignalFeature[];
  outcome: SignalOutcome;
  answeredAt: string;
  era: string;
  weight: number;
};

export const answerSignal = (input: {
  orgId: string;
  deal: DealFeatures;
  outcome: SignalOutcome;
  answeredAt: string;
}): AnswerSignal => ({
  orgId: input.orgId,
  features: featuresOf(input.deal),
  outcome: input.outcome,
  answeredAt: input.answeredAt,
  ...decayWeight(input.answeredAt),
});

/**
 * One org's tally for one feature value: how many answers of each outcome (for people reading the
 * table) and their weights per era (what the ranking decays), and the latest answer's time.
 */
export type SignalTally = {
  orgId: string;
  feature: SignalFeature;
  counts: Partial<Record<SignalOutcome, number>>;
  weights: Partial<Record<SignalOutcome, Record<string, number>>>;
  lastAnsweredAt: string;
};

/** The tally's weight of each outcome, decayed to `now`. */
export const decayed = (tally: Pick<SignalTally, 'weights'>, now: Date): Record<SignalOutcome, number> => {
  const result = { accepted: 0, 'not-a-fit': 0, declined: 0, expired: 0 };
  for (const outcome of SIGNAL_OUTCOMES) {
    for (const [era, weight] of Object.entries(tally.weights[outcome] ?? {})) {
      const start = Date.UTC(Number(era), 0, 1);
      result[outcome] += weight * 2 ** (-(now.getTime() - start) / HALF_LIFE_MS);
    }
  }
  return result;
};

/** Adds one answer to a tally (the in-memory store's fold; the table adds the same with ADD). */
export const addToTally = (
  tally: SignalTally | undefined,
  signal: AnswerSignal,
  feature: SignalFeature,
): SignalTally => {
  const base: SignalTally = tally ?? {
    orgId: signal.orgId,
    feature,
    counts: {},
    weights: {},
    lastAnsweredAt: '',
  };
  const eras = { ...(base.weights[signal.outcome] ?? {}) };
  eras[signal.era] = (eras[signal.era] ?? 0) + signal.weight;
  return {
    ...base,
    counts: { ...base.counts, [signal.outcome]: (base.counts[signal.outcome] ?? 0) + 1 },
    weights: { ...base.weights, [signal.outcome]: eras },
    lastAnsweredAt: [signal.answeredAt, base.lastAnsweredAt].sort().at(-1) ?? signal.answeredAt,
  };
};

export const featureKey = (feature: SignalFeature): string => `${feature.name}#${feature.value}`;
