/**
 * The e2e harness: the whole local runtime (DynamoDB Local in memory, SES emulator, gateway, seeded
 * demo data) on free ports, and a small HTTP client that signs in through `POST /dev/tokens` like a
 * person would. One runtime per test file (the runtime sets process-wide env and composition):
 *
 *   const local = useLocalRuntime();
 *   it('...', async () => {
 *     const res = await local.api.as(DEMO.fabrikam.admin.sub).post('/v1/deals', body);
 *     expect(res.status).toBe(201);
 *   });
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll } from 'vitest';
import { DEMO, DEMO_CUSTOMERS, DEMO_HOST, DEMO_ORGS } from '#infra/local/demo-data.ts';
import { type LocalRuntime, startLocalRuntime } from '#infra/local/runtime.ts';

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

/** Ids of the seeded demo data, by the names in infra/local/demo-data.ts. */
export type DemoDirectory = {
  /** Org ids by demo key: `host`, `fabrikam`, `northwind`, `adatum`. */
  orgIds: Record<string, string>;
  /** Solution ids by name, e.g. `solutions['Contoso Data Platform']`. */
  solutions: Record<string, string>;
  /** Customer ids by name, e.g. `customers['Alpine Ski House']`. */
  customers: Record<string, string>;
};

export type TestRuntime = {
  runtime: LocalRuntime;
  url: string;
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
  /** Emails captured by the SES emulator, oldest first. */
  emails: () => Promise<CapturedEmail[]>;
  clearEmails: () => Promise<void>;
  /** Domain events the stream poller published (the local stand-in for the EventBridge bus), oldest first. */
  events: () => Promise<PublishedEvent[]>;
  /** Ids of the seeded orgs, solutions and customers, read through the API once. */
  demo: () => Promise<DemoDirectory>;
  /** Every line the runtime logged (requests, failures with stacks): print it when a test puzzles you. */
  logs: string[];
  /**
   * Polls until `check` returns a value (or the deadline passes), backing off from 25 to 250 ms;
   * never a fixed sleep. A timeout names `what` and the runtime's last log lines.
   */
  eventually: <T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number) => Promise<T>;
  stop: () => Promise<void>;
};

const pollUntil = async <T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  logs: () => string[],
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 25; ; pause = Math.min(pause * 2, 250)) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${logs().slice(-30).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
};

/**
 * A valid `POST /v1/deals` body for Fabrikam's admin: Alpine Ski House with a contact, shared with
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
  team: [{ name: 'Fabrikam Admin', email: DEMO.fabrikam.admin.email, phone: '+49 30 1' }],
  solutions: [demo.solutions['Contoso Data Platform']],
  ...overrides,
});

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

/** Boots an in-memory, seeded runtime on free ports. Call `stop()` when done. */
export const startTestRuntime = async (options: { seed?: boolean } = {}): Promise<TestRuntime> => {
  const logs: string[] = [];
  const runtime = await startLocalRuntime({
    port: 0,
    dynamoPort: 0,
    sesPort: 0,
    s3Port: 0,
    seed: options.seed ?? true,
    log: (line) => {
      logs.push(line);
      if (process.env.LOCAL_RUNTIME_LOG) console.log(line);
    },
  });
  const tokens = new Map<string, Promise<string>>();
  const token = (sub: string, email?: string): Promise<string> => {
    const key = `${sub}\n${email ?? ''}`;
    let cached = tokens.get(key);
    if (!cached) {
      cached = request(runtime.url, 'POST', '/dev/tokens', async () => undefined, {
        sub,
        ...(email ? { email } : {}),
      }).then((response) => {
        if (response.status !== 200) throw new Error(`POST /dev/tokens answered ${response.status}`);
        return response.body.token as string;
      });
      cached.catch(() => tokens.delete(key));
      tokens.set(key, cached);
    }
    return cached;
  };
  const as = (sub: string, email?: string) =>
    client(runtime.url, async () => `Bearer ${await token(sub, email)}`);
  let demo: Promise<DemoDirectory> | undefined;
  const readDemo = async (): Promise<DemoDirectory> => {
    const directory: DemoDirectory = { orgIds: {}, solutions: {}, customers: {} };
    const read = async (sub: string, path: string) => {
      const response = await as(sub).get(path);
      if (response.status !== 200) throw new Error(`GET ${path} as ${sub} answered ${response.status}`);
      return response.body;
    };
    for (const org of DEMO_ORGS) {
      directory.orgIds[org.key] = (await read(org.admin.sub, '/v1/me')).org.id;
      for (const solution of (await read(org.admin.sub, '/v1/solutions?owner=mine&limit=100')).items) {
        directory.solutions[solution.name] = solution.id;
      }
    }
    for (const country of new Set(DEMO_CUSTOMERS.map((customer) => customer.country))) {
      for (const customer of (await read(DEMO_HOST.admin.sub, `/v1/customers?country=${country}&limit=100`))
        .items) {
        directory.customers[customer.name] = customer.id;
      }
    }
    return directory;
  };
  return {
    runtime,
    url: runtime.url,
    api: {
      as,
      anonymous: client(runtime.url, async () => undefined),
      withToken: (raw) => client(runtime.url, async () => `Bearer ${raw}`),
    },
    token,
    emails: async () => {
      const store = (await (await fetch(runtime.emailStoreUrl)).json()) as { emails: CapturedEmail[] };
      return store.emails;
    },
    clearEmails: async () => {
      await fetch(`${runtime.sesEndpoint}/clear-store`, { method: 'POST' });
    },
    events: async () => {
      const text = await readFile(runtime.eventsFile, 'utf8').catch(() => '');
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
    eventually: (what, check, timeoutMs = 20_000) => pollUntil(what, check, timeoutMs, () => logs),
    stop: runtime.stop,
  };
};

/**
 * Starts one runtime for the calling test file (beforeAll) and stops it afterwards (afterAll).
 * The returned object delegates to the running runtime, so it can be captured at module scope.
 */
export const useLocalRuntime = (options: { seed?: boolean } = {}): TestRuntime => {
  let current: TestRuntime | undefined;
  beforeAll(async () => {
    current = await startTestRuntime(options);
  });
  afterAll(async () => {
    await current?.stop();
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
    api: {
      as: (sub, email) => get().api.as(sub, email),
      get anonymous() {
        return get().api.anonymous;
      },
      withToken: (raw) => get().api.withToken(raw),
    },
    token: (sub, email) => get().token(sub, email),
    emails: () => get().emails(),
    clearEmails: () => get().clearEmails(),
    events: () => get().events(),
    demo: () => get().demo(),
    get logs() {
      return get().logs;
    },
    eventually: (what, check, timeoutMs) => get().eventually(what, check, timeoutMs),
    stop: () => get().stop(),
  };
};
