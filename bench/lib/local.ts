/**
 * The local runtime as the benchmarks use it: in memory, on free loopback ports, seeded with the
 * demo installation, with the background timers idle (the cloud runs the stream consumer and the
 * expiry job in other functions, so they must not compete with the measured requests).
 */
import { type LocalRuntime, startLocalRuntime } from '#infra/local/runtime.ts';

export type HttpResult = { status: number; body: unknown; ms: number };
export type Http = (method: string, path: string, body?: unknown) => Promise<HttpResult>;

export type BenchRuntime = {
  runtime: LocalRuntime;
  /** A client that calls as `sub` with a real token. */
  as: (sub: string) => Promise<Http>;
};

export const startBenchRuntime = async (): Promise<BenchRuntime> => {
  process.env.EXPIRY_INTERVAL_MS = String(24 * 3600_000);
  process.env.STREAM_POLL_INTERVAL_MS = String(24 * 3600_000);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const runtime = await startLocalRuntime({
    port: 0,
    dynamoPort: 0,
    sesPort: 0,
    s3Port: 0,
    seed: true,
    log: () => {},
  });
  const as = async (sub: string): Promise<Http> => {
    const authorization = `Bearer ${await runtime.tokens.issue({ sub })}`;
    return async (method, path, body) => {
      const started = performance.now();
      const response = await fetch(`${runtime.url}${path}`, {
        method,
        headers: {
          authorization,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const elapsed = performance.now() - started;
      return { status: response.status, body: text ? JSON.parse(text) : undefined, ms: elapsed };
    };
  };
  return { runtime, as };
};

/** Throws unless the response has the expected status (a benchmark of failing requests measures nothing). */
export const expectStatus = (result: HttpResult, status: number, what: string): HttpResult => {
  if (result.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${result.status}: ${JSON.stringify(result.body)}`);
  }
  return result;
};
