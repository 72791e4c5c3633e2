/**
 * The local runtime as the benchmarks use it: in memory, on free loopback ports, seeded with the
 * demo installation, with the background timers idle (the cloud runs the stream consumer and the
 * expiry job in other functions, so they must not compete with the measured requests).
 */
import { Agent, request } from 'node:http';
import { type LocalRuntime, startLocalRuntime } from '#infra/local/runtime.ts';

/**
 * `timing`: the local gateway's `Server-Timing` entries in ms (gateway, invoke, handler, dynamodb),
 * and `dynamodbCalls`, how many DynamoDB calls the handler made.
 */
export type HttpResult = { status: number; body: unknown; ms: number; timing: Record<string, number> };

const parseServerTiming = (header: string | string[] | undefined): Record<string, number> =>
  Object.fromEntries(
    String(header ?? '')
      .split(',')
      .flatMap((entry) => {
        const timed = /^\s*([\w-]+);dur=([\d.]+)/.exec(entry);
        if (!timed) return [];
        const calls = /desc="(\d+) calls"/.exec(entry);
        return [[timed[1], Number(timed[2])], ...(calls ? [[`${timed[1]}Calls`, Number(calls[1])]] : [])];
      }),
  );
export type Http = (method: string, path: string, body?: unknown) => Promise<HttpResult>;

export type BenchRuntime = {
  runtime: LocalRuntime;
  /** A client that calls as `sub` with a real token. */
  as: (sub: string) => Promise<Http>;
};

export const startBenchRuntime = async (): Promise<BenchRuntime> => {
  process.env.EXPIRY_INTERVAL_MS = String(24 * 3600_000);
  process.env.STREAM_POLL_INTERVAL_MS = String(24 * 3600_000);
  process.env.WEBHOOK_DELIVERY_INTERVAL_MS = String(24 * 3600_000);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const runtime = await startLocalRuntime({
    port: 0,
    dynamoPort: 0,
    sesPort: 0,
    s3Port: 0,
    seed: true,
    log: () => {},
  });
  // One keep-alive connection per caller over node:http, as the floor's SDK client talks to DynamoDB
  // Local (fetch's WHATWG layers cost about 0.5 ms a request more here: client time, not the API's).
  const as = async (sub: string): Promise<Http> => {
    // Issued as a person's is, through the token trigger: the token names the org a list reads.
    const authorization = `Bearer ${await runtime.tokenFor({ sub })}`;
    const agent = new Agent({ keepAlive: true });
    const { hostname, port } = new URL(runtime.url);
    return (method, path, body) =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          {
            host: hostname,
            port,
            path,
            method,
            agent,
            headers: {
              authorization,
              ...(payload === undefined
                ? {}
                : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              const elapsed = performance.now() - started;
              resolve({
                status: res.statusCode ?? 0,
                body: text ? JSON.parse(text) : undefined,
                ms: elapsed,
                timing: parseServerTiming(res.headers['server-timing']),
              });
            });
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
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
