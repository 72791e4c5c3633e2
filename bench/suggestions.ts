/**
 * Benchmark 9: partner suggestions. A synthetic ecosystem of 200 partner orgs, each with hidden
 * preferences (two of eight locations, three of twelve solutions) and a speed of its own that has
 * nothing to do with them, answers 5,000 invitations through the real use cases on the in-memory
 * ports: it accepts a deal it prefers by location and solution, declines as not a fit one it
 * prefers by neither, and otherwise declines for another reason or lets the invitation expire.
 * Then new deals are ranked three ways: by `suggestPartners` (the route's use case), by
 * responsiveness alone (the same scoring without any answer signal: the cold-start fallback) and at
 * random. A hit is a deal whose top 3 hold a partner that prefers both its location and its
 * solution. Finally the ecosystem's orgs, solutions and signal tallies (after 500 and after 5,000
 * answered invitations) are written to DynamoDB Local and the route's handler is invoked on it,
 * counting its DynamoDB requests: they do not grow with the number of past invitations.
 */
import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Deal } from '#domain/deals/model.ts';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { createDeal } from '#domain/deals/use-cases/create-deal.ts';
import { expireInvitations } from '#domain/deals/use-cases/expire-invitations.ts';
import { suggestPartners } from '#domain/deals/use-cases/suggest-partners.ts';
import type { Deps } from '#domain/deps.ts';
import { createCustomer } from '#domain/directory/customers.ts';
import type { Solution } from '#domain/directory/model.ts';
import { publishSolution } from '#domain/directory/solutions.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import { summarize as summarizeResponsiveness, windowStart } from '#domain/insights/responsiveness.ts';
import { featuresOf, type SignalTally } from '#domain/insights/signals.ts';
import { rankCandidates } from '#domain/insights/suggestions.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { tallyItem } from '#functions/adapters/dynamo/signal-store.ts';
import { getDeps, overrideDeps, resetDeps } from '#functions/composition/deps.ts';
import { resetConfig } from '#functions/config.ts';
import { handler as suggestionsRoute } from '#functions/http/deals/partner-suggestions.ts';
import { observeDynamoCalls } from '#functions/observability.ts';
import { startDynamoLocal } from '#infra/local/dynamodb-local.ts';
import { freePort } from '#infra/local/ports.ts';
import { ensureTable } from '#infra/local/table-schema.ts';
import { invoke } from '#test/support/http.ts';
import { type MemoryDeps, memoryDeps } from '#test/support/memory/deps.ts';
import { rawDocumentClient } from './lib/replay.ts';
import { progress } from './lib/stats.ts';

export type SuggestionsResult = {
  partners: number;
  invitations: number;
  outcomes: Record<string, number>;
  newDeals: number;
  /** Share of new deals whose top 3 hold a partner that prefers the deal. */
  hitRate: { learned: number; responsiveness: number; random: number };
  /** Share of the top 3's places held by such a partner. */
  precision: { learned: number; responsiveness: number; random: number };
  /** The route's DynamoDB requests after this many answered invitations. */
  requests: { invitations: number; calls: string[] }[];
  seconds: number;
};

const LOCATIONS = ['DE', 'FR', 'US', 'GB', 'NL', 'ES', 'IT', 'SE'];
const SOLUTIONS = 12;
const PARTNERS = 200;
const INVITERS = 10;
const INVITEES_PER_DEAL = 5;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const TABLE = 'co-sell-bench-suggestions';

/** A seeded generator (mulberry32): the same ecosystem and answers on every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

type Partner = {
  actor: Actor;
  locations: Set<string>;
  solutions: Set<string>;
  /** Typical hours to answer. */
  speed: number;
};

const pick = <T>(rand: () => number, from: readonly T[], n: number): T[] => {
  const pool = [...from];
  const out: T[] = [];
  while (out.length < n && pool.length > 0)
    out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0] as T);
  return out;
};

/** The hidden rule: what a partner does with a deal. */
const answerOf = (
  partner: Partner,
  deal: { location: string; solution: string },
  rand: () => number,
): 'accept' | 'not-a-fit' | 'no-capacity' | 'expire' => {
  const matches = Number(partner.locations.has(deal.location)) + Number(partner.solutions.has(deal.solution));
  const roll = rand();
  if (matches === 2) return roll < 0.85 ? 'accept' : roll < 0.95 ? 'no-capacity' : 'expire';
  if (matches === 1)
    return roll < 0.15 ? 'accept' : roll < 0.55 ? 'not-a-fit' : roll < 0.85 ? 'no-capacity' : 'expire';
  return roll < 0.03 ? 'accept' : roll < 0.75 ? 'not-a-fit' : roll < 0.9 ? 'no-capacity' : 'expire';
};

const prefers = (partner: Partner, deal: { location: string; solution: string }) =>
  partner.locations.has(deal.location) && partner.solutions.has(deal.solution);

type Ecosystem = {
  deps: MemoryDeps;
  setNow: (at: number) => void;
  now: () => number;
  partners: Map<string, Partner>;
  inviters: Actor[];
  solutions: Solution[];
  customerId: string;
};

const onboard = async (deps: Deps, name: string): Promise<Actor> => {
  const sub = `${name.toLowerCase().replaceAll(' ', '-')}-admin`;
  await onboardOrg(deps, {
    name,
    kind: 'partner',
    admin: { sub, email: `${sub}@bench.example`, name: `${name} Admin` },
  });
  const actor = await deps.memberships.getActor(sub);
  if (!actor) throw new Error(`onboarding ${name} failed`);
  return actor;
};

/** The orgs and catalog, through the real use cases on `deps`. */
const buildEcosystem = async (deps: Deps, rand: () => number) => {
  await onboardOrg(deps, {
    name: 'Host',
    kind: 'host',
    admin: { sub: 'host-admin', email: 'admin@host.example', name: 'Host Admin' },
  });
  const host = (await deps.memberships.getActor('host-admin')) as Actor;
  const solutions: Solution[] = [];
  for (let i = 0; i < SOLUTIONS; i++) {
    solutions.push(await publishSolution(deps, host, { name: `Host solution ${i}`, coSellReady: true }));
  }
  const inviters: Actor[] = [];
  for (let i = 0; i < INVITERS; i++) inviters.push(await onboard(deps, `Inviter ${i}`));
  // Preferences drawn in order (the same on every run), orgs onboarded a few at a time.
  const hidden = Array.from({ length: PARTNERS }, (_, i) => ({
    name: `Partner ${String(i).padStart(3, '0')}`,
    locations: new Set(pick(rand, LOCATIONS, 2)),
    solutions: new Set(pick(rand, solutions, 3).map((s) => s.id)),
    // 1 hour to about 8 days, independent of the preferences.
    speed: Math.exp(rand() * Math.log(200)),
  }));
  const partners = new Map<string, Partner>();
  for (let i = 0; i < hidden.length; i += 8) {
    const onboarded = await Promise.all(
      hidden.slice(i, i + 8).map(async ({ name, ...preferences }) => {
        const actor = await onboard(deps, name);
        await publishSolution(deps, actor, { name: `Offer of ${name}`, coSellReady: true });
        return { actor, ...preferences };
      }),
    );
    for (const partner of onboarded) partners.set(partner.actor.orgId, partner);
  }
  const customer = await createCustomer(deps, inviters[0] as Actor, {
    name: 'Bench customer',
    country: 'DE',
    address: 'Berlin',
  });
  return { host, solutions, inviters, partners, customerId: customer.id };
};

const dealInput = (e: Pick<Ecosystem, 'customerId'>, location: string, solution: string, amount: number) => ({
  customer: { id: e.customerId },
  name: 'Bench deal',
  location,
  value: { amount, currency: 'USD' },
  closeDate: '2031-12-31',
  team: [{ name: 'Seller', email: 'seller@bench.example', phone: '+1 1' }],
  solutions: [solution],
});

/**
 * Invitations in rounds of 100 deals (500 invitations): each deal invites 5 random partners, each
 * answers by the hidden rule after about its own speed; then two weeks pass and the expiry job runs.
 */
const answerRound = async (e: Ecosystem, rand: () => number, outcomes: Record<string, number>) => {
  const start = e.now();
  e.setNow(start);
  const answers: { at: number; partner: Partner; dealId: string; answer: ReturnType<typeof answerOf> }[] = [];
  for (let d = 0; d < 100; d++) {
    const location = LOCATIONS[Math.floor(rand() * LOCATIONS.length)] as string;
    const solution = e.solutions[Math.floor(rand() * e.solutions.length)] as Solution;
    const inviter = e.inviters[d % e.inviters.length] as Actor;
    const invitees = pick(rand, [...e.partners.values()], INVITEES_PER_DEAL);
    const amount = 10 ** (4 + Math.floor(rand() * 3)) * (1 + Math.floor(rand() * 9));
    const deal = await createDeal(e.deps, inviter, {
      ...dealInput(e, location, solution.id, amount),
      invite: { partners: invitees.map((p) => ({ orgId: p.actor.orgId, helpType: 'technical' as const })) },
    });
    for (const partner of invitees) {
      const dealId = (deal as Deal).participants[partner.actor.orgId]?.dealId as string;
      const answer = answerOf(partner, { location, solution: solution.id }, rand);
      const hours = Math.min(300, partner.speed * (0.5 + rand()));
      answers.push({ at: start + hours * HOUR, partner, dealId, answer });
    }
  }
  answers.sort((a, b) => a.at - b.at);
  for (const { at, partner, dealId, answer } of answers) {
    outcomes[answer] = (outcomes[answer] ?? 0) + 1;
    if (answer === 'expire') continue;
    e.setNow(at);
    if (answer === 'accept') await acceptInvitation(e.deps, partner.actor, { dealId });
    else await declineInvitation(e.deps, partner.actor, { dealId, reason: answer });
  }
  e.setNow(start + 15 * DAY);
  await expireInvitations(e.deps);
  e.setNow(start + 16 * DAY);
};

/** The signal tallies the memory store holds now, folded per feature value and org. */
const allTallies = async (deps: MemoryDeps): Promise<SignalTally[]> => {
  const features = new Map<string, { name: never; value: string }>();
  for (const signal of deps.deals.answerSignals) {
    for (const f of signal.features) features.set(`${f.name}#${f.value}`, f as never);
  }
  return deps.signals.tallies([...features.values()]);
};

const writeItems = async (
  client: ReturnType<typeof rawDocumentClient>,
  items: Record<string, unknown>[],
): Promise<void> => {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending: Record<string, unknown> | undefined = {
        [TABLE]: batches[next++]!.map((Item) => ({ PutRequest: { Item } })),
      };
      while (pending && Object.keys(pending).length > 0) {
        const result: BatchWriteCommandOutput = await client.send(
          new BatchWriteCommand({ RequestItems: pending as never }),
        );
        pending = result.UnprocessedItems;
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
};

export const benchSuggestions = async (options: {
  invitations: number;
  newDeals: number;
}): Promise<SuggestionsResult> => {
  const started = performance.now();
  const rand = random(20261208);
  let clockAt = Date.parse('2031-01-05T09:00:00.000Z');
  const deps = memoryDeps({ now: () => new Date(clockAt) });
  const built = await buildEcosystem(deps, rand);
  const e: Ecosystem = {
    deps,
    setNow: (at) => {
      clockAt = at;
    },
    now: () => clockAt,
    ...built,
  };
  progress(`suggestions: ${PARTNERS} partners onboarded`);

  // DynamoDB Local of its own: the route's requests after 500 and after all invitations.
  const dynamo = await startDynamoLocal({ port: await freePort() });
  const client = rawDocumentClient(dynamo.endpoint);
  await ensureTable(dynamo.client, TABLE);
  const previous = {
    table: process.env.TABLE_NAME,
    endpoint: process.env.DYNAMODB_ENDPOINT,
    solutionCache: process.env.SOLUTION_CACHE_MS,
  };
  process.env.TABLE_NAME = TABLE;
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  // Every measured request reads the deal's solutions, as a cold function does: a warm cache would
  // make the count depend on when the request ran, not on what it read.
  process.env.SOLUTION_CACHE_MS = '0';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_REGION ??= 'local';
  resetConfig();
  resetDeps();
  overrideDeps({ clock: { now: () => new Date(clockAt) } });
  const requests: SuggestionsResult['requests'] = [];
  try {
    // The same ecosystem on the table (fresh seeded generator: the same orgs and preferences).
    const onTable = await buildEcosystem(getDeps(), random(20261208));
    const tableInviter = onTable.inviters[0] as Actor;
    const tableDeal = await createDeal(
      getDeps(),
      tableInviter,
      dealInput(onTable, 'DE', (onTable.solutions[0] as Solution).id, 250_000),
    );
    /** Writes the memory store's tallies to the table (org ids mapped by name) and counts one call. */
    const measure = async (invitations: number) => {
      const byName = new Map<string, string>();
      for (const [orgId, partner] of e.partners) byName.set(partner.actor.orgName, orgId);
      const tableOrg = new Map<string, string>();
      for (const [orgId, partner] of onTable.partners)
        tableOrg.set(byName.get(partner.actor.orgName) as string, orgId);
      const solutionIds = new Map(e.solutions.map((s, i) => [s.id, (onTable.solutions[i] as Solution).id]));
      const tallies = (await allTallies(deps)).map((tally) => ({
        ...tally,
        orgId: tableOrg.get(tally.orgId) as string,
        feature:
          tally.feature.name === 'solution'
            ? { ...tally.feature, value: solutionIds.get(tally.feature.value) as string }
            : tally.feature,
      }));
      await writeItems(client, tallies.map(tallyItem));
      // The handler's own middleware takes the request's tally for its log, so the calls are observed.
      const calls: string[] = [];
      observeDynamoCalls((command) => {
        calls.push(command.replace(/Command$/, ''));
        return undefined;
      });
      const response = await invoke(suggestionsRoute, {
        route: 'GET /v1/deals/{id}/partner-suggestions',
        sub: tableInviter.sub,
        params: { id: tableDeal.id },
        query: { limit: '10' },
      }).finally(() => observeDynamoCalls(undefined));
      if (response.status !== 200) throw new Error(`suggestions answered ${response.status}`);
      requests.push({ invitations, calls });
      progress(
        `suggestions: after ${invitations} invitations (${tallies.length} tally items) the route made ${calls.length} requests`,
      );
    };

    const outcomes: Record<string, number> = {};
    const rounds = Math.ceil(options.invitations / (100 * INVITEES_PER_DEAL));
    for (let r = 0; r < rounds; r++) {
      await answerRound(e, rand, outcomes);
      if (r === 0) await measure((r + 1) * 100 * INVITEES_PER_DEAL);
    }
    const invitations = rounds * 100 * INVITEES_PER_DEAL;
    progress(`suggestions: ${invitations} invitations answered in memory`);
    await measure(invitations);

    // New deals, ranked three ways.
    const hits = { learned: 0, responsiveness: 0, random: 0 };
    const fits = { learned: 0, responsiveness: 0, random: 0 };
    const from = windowStart(new Date(clockAt));
    const candidateIds = [...e.partners.keys()];
    const counters = await deps.responsiveness.counters(
      candidateIds,
      from,
      new Date(clockAt).toISOString().slice(0, 10),
    );
    const responsiveness = new Map(
      candidateIds.map((id) => [id, summarizeResponsiveness(counters.get(id) ?? new Map(), from)]),
    );
    for (let d = 0; d < options.newDeals; d++) {
      const location = LOCATIONS[Math.floor(rand() * LOCATIONS.length)] as string;
      const solution = e.solutions[Math.floor(rand() * e.solutions.length)] as Solution;
      const inviter = e.inviters[d % e.inviters.length] as Actor;
      const deal = await createDeal(deps, inviter, dealInput(e, location, solution.id, 250_000));
      const learned = (
        await suggestPartners(deps, inviter, deal.id, { limit: 3, helpType: 'technical' })
      ).items.map((s) => s.org.id);
      const byResponsiveness = rankCandidates({
        candidates: candidateIds.map((orgId) => ({ orgId, solutions: [] })),
        features: featuresOf({ location, solutions: [solution.id], kinds: ['host'], value: deal.value }),
        dealSolutionIds: [solution.id],
        tallies: [],
        responsiveness,
        now: new Date(clockAt),
      })
        .ranked.slice(0, 3)
        .map((c) => c.orgId);
      const atRandom = pick(rand, candidateIds, 3);
      const target = { location, solution: solution.id };
      for (const [name, top] of [
        ['learned', learned],
        ['responsiveness', byResponsiveness],
        ['random', atRandom],
      ] as const) {
        const good = top.filter((orgId) => prefers(e.partners.get(orgId) as Partner, target)).length;
        fits[name] += good;
        if (good > 0) hits[name] += 1;
      }
    }
    const share = (x: number, of: number) => x / of;
    return {
      partners: PARTNERS,
      invitations,
      outcomes,
      newDeals: options.newDeals,
      hitRate: {
        learned: share(hits.learned, options.newDeals),
        responsiveness: share(hits.responsiveness, options.newDeals),
        random: share(hits.random, options.newDeals),
      },
      precision: {
        learned: share(fits.learned, 3 * options.newDeals),
        responsiveness: share(fits.responsiveness, 3 * options.newDeals),
        random: share(fits.random, 3 * options.newDeals),
      },
      requests,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const [name, value] of [
      ['TABLE_NAME', previous.table],
      ['DYNAMODB_ENDPOINT', previous.endpoint],
      ['SOLUTION_CACHE_MS', previous.solutionCache],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfig();
    resetDeps();
    client.destroy();
    await dynamo.stop();
  }
};
