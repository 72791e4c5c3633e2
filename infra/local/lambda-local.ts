/**
 * A local stand-in for Lambda's `Invoke` API, for the functions that start background jobs
 * (functions/adapters/lambda/background-jobs.ts): `POST /2015-03-31/functions/{name}/invocations`.
 * An `Event` invocation is queued as Lambda queues it: answered 202 at once, then run in the named
 * function's worker (its own environment, its declared table access) with Lambda's two retries of
 * a failed run, a short pause apart instead of minutes. `RequestResponse` runs and answers the
 * result. Function names are the definitions' ids (what the local runtime gives
 * `EXPORT_FUNCTION_NAME`). Loopback only; no signature checks.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FUNCTIONS } from '#functions/environment.ts';
import type { FunctionWorkers } from './functions.ts';

export type LambdaLocal = {
  endpoint: string;
  /** Resolves once every queued invocation has run (tests, benchmarks, shutdown). */
  idle: () => Promise<void>;
  stop: () => Promise<void>;
};

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** Lambda retries a failed asynchronous invocation twice. */
const ASYNC_ATTEMPTS = 3;
const RETRY_PAUSE_MS = 1_000;
/** A background job's longest run (the cloud's function timeout bounds it there). */
const ASYNC_TIMEOUT_MS = 15 * 60 * 1000;

const readBody = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
};

export const startLambdaLocal = async (options: {
  /** The runtime's workers, known once they are started (after this stand-in's endpoint). */
  functions: () => FunctionWorkers;
  log: (line: string) => void;
}): Promise<LambdaLocal> => {
  const queued = new Set<Promise<void>>();
  let stopped = false;

  const runQueued = async (name: string, event: unknown): Promise<void> => {
    const fn = FUNCTIONS.find((candidate) => candidate.id === name);
    if (!fn) return;
    for (let attempt = 1; attempt <= ASYNC_ATTEMPTS && !stopped; attempt++) {
      try {
        await options.functions().invoke(fn, event, { timeoutMs: ASYNC_TIMEOUT_MS });
        return;
      } catch (error) {
        options.log(`✗ ${name} (asynchronous, attempt ${attempt}): ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS * attempt));
      }
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const name = decodeURIComponent(INVOKE_PATH.exec(req.url ?? '')?.[1] ?? '');
      const fn = FUNCTIONS.find((candidate) => candidate.id === name);
      if (req.method !== 'POST' || !fn) {
        res.writeHead(404, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ResourceNotFoundException',
        });
        res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
        return;
      }
      const event = await readBody(req);
      if (req.headers['x-amz-invocation-type'] === 'Event') {
        const run = runQueued(name, event);
        queued.add(run);
        void run.finally(() => queued.delete(run));
        res.writeHead(202);
        res.end();
        return;
      }
      try {
        const result = await options.functions().invoke(fn, event);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result ?? null));
      } catch (error) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
        res.end(JSON.stringify({ errorMessage: (error as Error).message }));
      }
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const idle = async () => {
    while (queued.size > 0) await Promise.allSettled([...queued]);
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    idle,
    stop: async () => {
      stopped = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await idle();
    },
  };
};
