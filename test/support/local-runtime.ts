/**
 * The e2e and browser harness: a client for the tier's shared local runtime (DynamoDB Local in
 * memory, the emulators, the gateway, the seeded host and customers; runtime-global-setup.ts
 * starts it once per tier) and the calling file's own partner orgs, onboarded before its tests
 * through `POST /dev/orgs` and the API like a real org would be. Signing in goes through
 * `POST /dev/tokens` like a person would:
 *
 *   const local = useLocalRuntime();
 *   const ORGS = local.orgs;
 *   it('...', async () => {
 *     const res = await local.api.as(ORGS.fabrikam.admin.sub).post('/v1/deals', body);
 *     expect(res.status).toBe(201);
 *   });
 *
 * The shared runtime has one domain clock and one mailbox: the e2e tier runs its files one after
 * another (vitest.config.ts), and a test that moves the clock puts it back before it ends. Emails
 * and events are read whole and filtered by this file's addresses and ids.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, inject } from 'vitest';
import { DEMO_CUSTOMERS, DEMO_HOST, type DemoOrg } from '#infra/local/demo-data.ts';
import { createTokenIssuer, type TokenSubject } from '#infra/local/tokens.ts';
import type { RuntimeEndpoints } from './runtime-endpoints.ts';
import { startRuntimeProcess } from './runtime-global-setup.ts';
import { newOrgTag, type TestOrgs, taggedPartners, testOrgs } from './test-orgs.ts';

// Keep the AWS SDK's Node 20 support notice out of test output (only that warning).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export type ApiResponse = {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON for JSON and problem+json answers, text otherwise, undefined when empty. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response fields
  body: any;
};

type Headers = Record<string, string>;

export type ApiClient = {
  get: (path: string, headers?: Headers) => Promise<ApiResponse>;
  delete: (path: string, headers?: Headers) => Promise<ApiResponse>;
  post: (path: string, body?: unknown, headers?: Headers) => Promise<ApiResponse>;
  put: (path: string, body?: unknown, headers?: Headers) => Promise<ApiResponse>;
  patch: (path: string, body?: unknown, headers?: Headers) => Promise<ApiResponse>;
};

/** An email the SES emulator captured (`GET /store`). */
export type CapturedEmail = {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
};

/** A domain event as the local publisher wrote it: the EventBridge entry's shape. */
export type PublishedEvent = {
  source: string;
  detailType: string;
  time: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary event fields
  detail: any;
};

/** Ids of the calling file's orgs and of the seeded host data, by the names in infra/local/demo-data.ts. */
export type DemoDirectory = {
  /** Org ids by key: `host` (the seeded host), `fabrikam`, `northwind`, `adatum` (this file's own). */
  orgIds: Record<string, string>;
  /** Solution ids by name: the host's and this file's partners', e.g. `solutions['Contoso Data Platform']`. */
  solutions: Record<string, string>;
  /** Customer ids by name, e.g. `customers['Alpine Ski House']` (the host's directory, seeded). */
  customers: Record<string, string>;
  /** This file's orgs and their users. */
  orgs: TestOrgs;
};

export type TestRuntime = {
  /** Where the runtime answers. */
  runtime: RuntimeEndpoints;
  url: string;
  /** This file's partner orgs (under `DEMO`'s keys) and the seeded host; onboarded before the file's tests. */
  orgs: TestOrgs;
  api: {
    /** Calls as the user with this `sub` (a real token from `POST /dev/tokens`, fetched once per sub). */
    as: (sub: string, email?: string) => ApiClient;
    /** Calls without an Authorization header. */
    anonymous: ApiClient;
    /** Calls with exactly this Authorization token (for invalid-token tests). */
    withToken: (token: string) => ApiClient;
  };
  /** A token for `sub` issued through `POST /dev/tokens`. */
  token: (sub: string, email?: string) => Promise<string>;
  /** A token signed with the runtime's own key but with unusual times (expired, issued in the future). */
  signToken: (
    claims: TokenSubject,
    options: { expiresInSeconds?: number; issuedAt?: Date },
  ) => Promise<string>;
  /** Every email the SES emulator captured (from every file sharing the runtime), oldest first. */
  emails: () => Promise<CapturedEmail[]>;
  /** Domain events the stream poller published (the local stand-in for the EventBridge bus), oldest first. */
  events: () => Promise<PublishedEvent[]>;
  /** Ids of this file's orgs and solutions and of the seeded customers, read through the API once. */
  demo: () => Promise<DemoDirectory>;
  /** Every line the runtime logged (requests, failures with stacks): print it when a test puzzles you. */
  logs: () => Promise<string[]>;
  /**
   * Polls until `check` returns a value (or the deadline passes), backing off from 25 to 250 ms;
   * never a fixed sleep. A timeout names `what` and the runtime's last log lines.
   */
  eventually: <T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number) => Promise<T>;
};

const pollUntil = async <T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  logs: () => Promise<string[]>,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 25; ; pause = Math.min(pause * 2, 250)) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${(await logs()).slice(-30).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
};

/**
 * A valid `POST /v1/deals` body for this file's Fabrikam admin: Alpine Ski House with a contact, shared with
 * the host; Fabrikam's admin on the team; Contoso Data Platform. Overridden where a test cares.
 */
export const fabrikamDealBody = (demo: DemoDirectory, overrides: Record<string, unknown> = {}) => ({
  customer: {
    id: demo.customers['Alpine Ski House'],
    contact: { name: 'Ina Buyer', phone: '+49 89 1', email: 'ina@alpineskihouse.example' },
    consentToShareWithHost: true,
  },
  name: 'Alpine data platform',
  location: 'DE',
  value: { amount: 120000, currency: 'EUR' },
  closeDate: '2030-06-30',
  team: [{ name: 'Fabrikam Admin', email: demo.orgs.fabrikam.admin.email, phone: '+49 30 1' }],
  solutions: [demo.solutions['Contoso Data Platform']],
  ...overrides,
});

/** What `wonCoSellDeal` made: Fabrikam's deal and the host's deal of the same engagement. */
export type WonCoSellDeal = { dealId: string; hostDealId: string; engagementId: string };

/**
 * A won co-sell deal of this file's Fabrikam, eligible for registration: created with the host
 * invited (an incentive-eligible host solution on it), accepted by the host's seller, closed as
 * won. The starting point of every registration and evidence test in the e2e and browser tiers.
 */
export const wonCoSellDeal = async (
  local: Pick<TestRuntime, 'api' | 'demo'>,
  name: string,
  overrides: Record<string, unknown> = {},
): Promise<WonCoSellDeal> => {
  const demo = await local.demo();
  const fabrikam = local.api.as(demo.orgs.fabrikam.admin.sub);
  const host = local.api.as(demo.orgs.host.seller.sub);
  const created = await fabrikam.post(
    '/v1/deals',
    fabrikamDealBody(demo, {
      name,
      value: { amount: 90000, currency: 'EUR' },
      closeDate: '2030-03-31',
      invite: { host: { helpType: 'pricing' } },
      ...overrides,
    }),
  );
  if (created.status !== 201) throw new Error(`creating ${name}: ${JSON.stringify(created.body)}`);
  const engagementId = created.body.engagementId as string;
  const inbound = await host.get('/v1/deals?view=inbound&status=received&limit=100');
  const hostDeal = inbound.body.items.find((d: { engagementId: string }) => d.engagementId === engagementId);
  if (!hostDeal) throw new Error(`the host received no invitation to ${name}`);
  const accepted = await host.post(`/v1/deals/${hostDeal.id}/accept`, {});
  if (accepted.status !== 200)
    throw new Error(`the host accepting ${name}: ${JSON.stringify(accepted.body)}`);
  const won = await fabrikam.post(`/v1/deals/${created.body.id}/close`, { outcome: 'won' });
  if (won.status !== 200) throw new Error(`closing ${name} as won: ${JSON.stringify(won.body)}`);
  return { dealId: created.body.id, hostDealId: hostDeal.id, engagementId };
};

const request = async (
  baseUrl: string,
  method: string,
  path: string,
  authorization: () => Promise<string | undefined>,
  body?: unknown,
  headers: Headers = {},
): Promise<ApiResponse> => {
  const auth = await authorization();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(auth ? { authorization: auth } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: text === '' ? undefined : /json/.test(contentType) ? JSON.parse(text) : text,
  };
};

const client = (baseUrl: string, authorization: () => Promise<string | undefined>): ApiClient => ({
  get: (path, headers) => request(baseUrl, 'GET', path, authorization, undefined, headers),
  delete: (path, headers) => request(baseUrl, 'DELETE', path, authorization, undefined, headers),
  post: (path, body, headers) => request(baseUrl, 'POST', path, authorization, body, headers),
  put: (path, body, headers) => request(baseUrl, 'PUT', path, authorization, body, headers),
  patch: (path, body, headers) => request(baseUrl, 'PATCH', path, authorization, body, headers),
});

const readJson = async (path: string, sub: string, as: (sub: string) => ApiClient) => {
  const response = await as(sub).get(path);
  if (response.status !== 200) throw new Error(`GET ${path} as ${sub} answered ${response.status}`);
  return response.body;
};

/**
 * Onboards `org` as a real partner would join: `POST /dev/orgs` with its admin, the admin invites
 * each member, each member signed in with its verified email accepts, the admin publishes the
 * solutions.
 */
const onboardPartner = async (
  org: DemoOrg,
  anonymous: ApiClient,
  as: (sub: string, email?: string) => ApiClient,
  withVerifiedEmail: (sub: string, email: string) => Promise<ApiClient>,
): Promise<void> => {
  const expectStatus = (what: string, response: ApiResponse, status: number) => {
    if (response.status !== status)
      throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
  };
  expectStatus(
    `onboarding ${org.name}`,
    await anonymous.post('/dev/orgs', {
      name: org.name,
      kind: 'partner',
      capabilities: org.capabilities,
      admin: { sub: org.admin.sub, email: org.admin.email, name: org.admin.name },
    }),
    201,
  );
  const admin = as(org.admin.sub);
  const me = (await readJson('/v1/me', org.admin.sub, as)) as { org: { id: string } };
  for (const { sub, ...member } of org.members) {
    expectStatus(`inviting ${member.email}`, await admin.post('/v1/org/users', member), 201);
    const person = await withVerifiedEmail(sub, member.email);
    expectStatus(`${sub} accepting`, await person.post(`/v1/me/invitations/${me.org.id}/accept`), 200);
  }
  for (const solution of org.solutions)
    expectStatus(`publishing ${solution.name}`, await admin.post('/v1/solutions', solution), 201);
};

/**
 * A client of the runtime at `endpoints` for one test file with `partners` as its orgs.
 * `onboard()` makes those orgs (once).
 */
const runtimeClient = (
  endpoints: RuntimeEndpoints,
  partners: readonly DemoOrg[],
): TestRuntime & { onboard: () => Promise<void> } => {
  const url = endpoints.url;
  const tokens = new Map<string, Promise<string>>();
  const issue = (claims: TokenSubject): Promise<string> =>
    request(url, 'POST', '/dev/tokens', async () => undefined, claims).then((response) => {
      if (response.status !== 200) throw new Error(`POST /dev/tokens answered ${response.status}`);
      return response.body.token as string;
    });
  const token = (sub: string, email?: string): Promise<string> => {
    const key = `${sub}\n${email ?? ''}`;
    let cached = tokens.get(key);
    if (!cached) {
      cached = issue({ sub, ...(email ? { email } : {}) });
      cached.catch(() => tokens.delete(key));
      tokens.set(key, cached);
    }
    return cached;
  };
  const as = (sub: string, email?: string) => client(url, async () => `Bearer ${await token(sub, email)}`);
  const anonymous = client(url, async () => undefined);
  const withToken = (raw: string) => client(url, async () => `Bearer ${raw}`);
  const orgs = testOrgs(partners);
  const logs = async () => (await readFile(endpoints.logFile, 'utf8').catch(() => '')).split('\n');

  let onboarded: Promise<void> | undefined;
  const onboard = () => {
    onboarded ??= (async () => {
      for (const org of partners)
        await onboardPartner(org, anonymous, as, async (sub, email) =>
          withToken(await issue({ sub, email, emailVerified: true })),
        );
    })();
    return onboarded;
  };

  let demo: Promise<DemoDirectory> | undefined;
  const readDemo = async (): Promise<DemoDirectory> => {
    await onboard();
    const directory: DemoDirectory = { orgIds: {}, solutions: {}, customers: {}, orgs };
    for (const org of [DEMO_HOST, ...partners]) {
      directory.orgIds[org.key] = (await readJson('/v1/me', org.admin.sub, as)).org.id;
      for (const solution of (await readJson('/v1/solutions?owner=mine&limit=100', org.admin.sub, as)).items)
        directory.solutions[solution.name] = solution.id;
    }
    for (const country of new Set(DEMO_CUSTOMERS.map((customer) => customer.country))) {
      const page = await readJson(`/v1/customers?country=${country}&limit=100`, DEMO_HOST.admin.sub, as);
      for (const customer of page.items) directory.customers[customer.name] = customer.id;
    }
    return directory;
  };

  return {
    runtime: endpoints,
    url,
    orgs,
    api: { as, anonymous, withToken },
    token,
    signToken: async (claims, options) =>
      (await createTokenIssuer({ port: endpoints.port, keyFile: endpoints.tokenKeyFile })).issue(
        claims,
        options,
      ),
    emails: async () => {
      const store = (await (await fetch(endpoints.emailStoreUrl)).json()) as { emails: CapturedEmail[] };
      return store.emails;
    },
    events: async () => {
      const text = await readFile(endpoints.eventsFile, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as PublishedEvent);
    },
    demo: () => {
      demo ??= readDemo();
      return demo;
    },
    logs,
    eventually: (what, check, timeoutMs = 20_000) => pollUntil(what, check, timeoutMs, logs),
    onboard,
  };
};

/**
 * The tier's shared runtime for the calling test file, with orgs of this file's own, onboarded
 * before its tests (beforeAll).
 */
export const useLocalRuntime = (): TestRuntime => {
  const local = runtimeClient(inject('localRuntime'), taggedPartners(newOrgTag()));
  beforeAll(() => local.onboard());
  // The files after this one share the clock: one left moved fails the file that moved it.
  afterAll(async () => {
    const clock = await local.api.anonymous.get('/dev/clock');
    if (clock.body.offsetMs === 0) return;
    await local.api.anonymous.delete('/dev/clock');
    throw new Error(
      `This file left the domain clock ${clock.body.offsetMs} ms off: reset it (DELETE /dev/clock).`,
    );
  });
  return local;
};

/**
 * A runtime of the calling file's own, started before its tests and stopped after them, for a test
 * that must be alone with the database (the fuzz run compares the whole table before and after).
 * Its orgs are still tagged ones, so the file reads the same either way.
 */
export const useOwnLocalRuntime = (): TestRuntime => {
  let current: (TestRuntime & { onboard: () => Promise<void> }) | undefined;
  let stop: (() => Promise<unknown>) | undefined;
  const partners = taggedPartners(newOrgTag());
  beforeAll(async () => {
    const started = await startRuntimeProcess();
    stop = started.stop;
    current = runtimeClient(started.endpoints, partners);
    await current.onboard();
  });
  afterAll(async () => {
    await stop?.();
  });
  const get = (): TestRuntime => {
    if (!current) throw new Error('The local runtime is not running yet: use it inside tests or hooks.');
    return current;
  };
  return {
    get runtime() {
      return get().runtime;
    },
    get url() {
      return get().url;
    },
    orgs: testOrgs(partners),
    api: {
      as: (sub, email) => get().api.as(sub, email),
      get anonymous() {
        return get().api.anonymous;
      },
      withToken: (raw) => get().api.withToken(raw),
    },
    token: (sub, email) => get().token(sub, email),
    signToken: (claims, options) => get().signToken(claims, options),
    emails: () => get().emails(),
    events: () => get().events(),
    demo: () => get().demo(),
    logs: () => get().logs(),
    eventually: (what, check, timeoutMs) => get().eventually(what, check, timeoutMs),
  };
};
