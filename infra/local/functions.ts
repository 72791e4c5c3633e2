/**
 * The local stand-in for Lambda's execution environments: one worker thread per function, started
 * on the function's first invocation (a cold start, logged with its time) and kept warm. Each
 * worker's `process.env` is exactly the function's declared environment (functions/environment.ts)
 * with this stage's local values, plus the small, explicit set of `LOCAL_ONLY_VARIABLES`: a
 * variable the cloud does not give a function is missing here too.
 *
 * The gateway, the stream poller and the expiry timer invoke handlers only through here.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type EnvValues, environmentOf, type FunctionDefinition } from '#functions/environment.ts';
import { dynamoCallObserver } from '#functions/observability.ts';
import { describeTableRequest, type TableRequest } from '#functions/table-access.ts';
import { type LambdaHandler, REPO_ROOT } from './gateway.ts';
import type {
  HandlerTiming,
  HostMessage,
  Invocation,
  Proceed,
  SerializedError,
  WorkerData,
} from './worker/protocol.ts';

/** Set while this process observes DynamoDB calls: the workers then forward theirs (benchmarks only). */
const OBSERVING = new SharedArrayBuffer(4);

/** Makes every function's DynamoDB calls reach this thread's `observeDynamoCalls` observer, or stop. */
export const forwardWorkerDynamoCalls = (on: boolean): void => {
  Atomics.store(new Int32Array(OBSERVING), 0, on ? 1 : 0);
};

/** Where the emulators listen. */
export type LocalEndpoints = {
  dynamodb: string;
  ses: string;
  eventBridge: string;
  s3: string;
  cognito: string;
  /** The Secrets Manager stand-in (infra/local/secrets-local.ts). */
  secrets: string;
  /** The KMS stand-in (infra/local/kms-local.ts). */
  kms: string;
  /** The Lambda `Invoke` stand-in (infra/local/lambda-local.ts), for the functions that start jobs. */
  lambda: string;
};

/**
 * What a function gets locally besides its declared environment: where the emulators are, what
 * the Lambda runtime itself provides (region, credentials; the emulators accept any), the local
 * log level when a person set one, and the webhook address policy's local allowance of loopback
 * receivers (absent in the cloud, where only https on public addresses is accepted). Nothing else.
 */
export const LOCAL_ONLY_VARIABLES = [
  'DYNAMODB_ENDPOINT',
  'SES_ENDPOINT',
  'EVENTBRIDGE_ENDPOINT',
  'S3_ENDPOINT',
  'COGNITO_ENDPOINT',
  'SECRETS_ENDPOINT',
  'KMS_ENDPOINT',
  'LAMBDA_ENDPOINT',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  'LOG_LEVEL',
  'WEBHOOK_ALLOW_LOOPBACK',
] as const;

export const localOnlyEnvironment = (
  endpoints: LocalEndpoints,
): Record<(typeof LOCAL_ONLY_VARIABLES)[number], string | undefined> => ({
  DYNAMODB_ENDPOINT: endpoints.dynamodb,
  SES_ENDPOINT: endpoints.ses,
  EVENTBRIDGE_ENDPOINT: endpoints.eventBridge,
  S3_ENDPOINT: endpoints.s3,
  COGNITO_ENDPOINT: endpoints.cognito,
  SECRETS_ENDPOINT: endpoints.secrets,
  KMS_ENDPOINT: endpoints.kms,
  LAMBDA_ENDPOINT: endpoints.lambda,
  AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
  // s3rver knows only this key pair; the other emulators take any.
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  // Node 20 locally, nodejs22.x in the cloud: the SDK's notice about Node 20 is noise here.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  LOG_LEVEL: process.env.LOG_LEVEL,
  // Local receivers (tests, a person's own) listen on loopback over http; the cloud never sets it.
  WEBHOOK_ALLOW_LOOPBACK: 'true',
});

/** A function's whole local environment: its declaration with local values, plus the local-only set. */
export const localEnvironment = (
  fn: FunctionDefinition,
  values: EnvValues,
  endpoints: LocalEndpoints,
): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(localOnlyEnvironment(endpoints))) {
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...environmentOf(fn, values) };
};

export type FunctionWorkers = {
  /**
   * The kinds of table request each function made (by function id), each once: all granted, since
   * a worker refuses what its declared access does not grant.
   */
  tableRequests: () => ReadonlyMap<string, readonly TableRequest[]>;
  /** Runs `fn` with `event` in its worker (starting it on first use). */
  invoke: (fn: FunctionDefinition, event: unknown, options?: { timeoutMs?: number }) => Promise<unknown>;
  /** `fn` as a Lambda-style handler: the context's deadline and request id travel to the worker. */
  handler: (fn: FunctionDefinition) => LambdaHandler;
  stop: () => Promise<void>;
};

export type FunctionWorkersOptions = {
  /** The environment of each function's worker (e.g. `localEnvironment` with this runtime's values). */
  environment: (fn: FunctionDefinition) => Record<string, string>;
  /** The domain clock's shared offset (infra/local/clock.ts). */
  clock: SharedArrayBuffer;
  log: (line: string) => void;
};

/**
 * How long the handler itself ran for a result an invocation returned, and its DynamoDB calls (its
 * worker's measure): the gateway's `Server-Timing` tells them apart from the hand-off.
 */
export const handlerTimings = new WeakMap<object, HandlerTiming>();

const BOOTSTRAP = fileURLToPath(new URL('./worker/bootstrap.mjs', import.meta.url));
const DEFAULT_TIMEOUT_MS = 30_000;

const toError = (serialized: SerializedError): Error =>
  Object.assign(new Error(serialized.message), {
    name: serialized.name,
    stack: serialized.stack ?? serialized.message,
  });

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

type Running = { worker: Worker; ready: Promise<void>; pending: Map<number, Pending> };

export const startFunctionWorkers = (options: FunctionWorkersOptions): FunctionWorkers => {
  const running = new Map<string, Running>();
  const tableRequests = new Map<string, TableRequest[]>();
  let nextId = 1;
  let stopped = false;

  const start = (fn: FunctionDefinition): Running => {
    const workerData: WorkerData = {
      functionName: fn.id,
      entry: fn.entry,
      entryFile: join(REPO_ROOT, fn.entry),
      clock: options.clock,
      observing: OBSERVING,
    };
    const coldStart = performance.now();
    const worker = new Worker(BOOTSTRAP, { env: options.environment(fn), workerData });
    const pending = new Map<number, Pending>();
    const forget = (error: Error) => {
      if (running.get(fn.id)?.worker === worker) running.delete(fn.id);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    const ready = new Promise<void>((resolveReady, rejectReady) => {
      const outputs = new Map<number, (output: object) => void>();
      worker.on('message', (message: HostMessage) => {
        if (message.type === 'dynamo-call') {
          void (async () => {
            const observer = dynamoCallObserver();
            const done = observer ? await observer(message.command, message.input as object) : undefined;
            if (done) outputs.set(message.callId, done);
            worker.postMessage({ type: 'dynamo-proceed', callId: message.callId } satisfies Proceed);
          })();
        } else if (message.type === 'table-request') {
          // A restarted worker reports again what its predecessor did.
          const made = tableRequests.get(fn.id) ?? [];
          const line = describeTableRequest(message.request);
          if (!made.some((request) => describeTableRequest(request) === line)) made.push(message.request);
          tableRequests.set(fn.id, made);
        } else if (message.type === 'dynamo-output') {
          outputs.get(message.callId)?.(message.output as object);
          outputs.delete(message.callId);
        } else if (message.type === 'ready') {
          const total = Math.round(performance.now() - coldStart);
          options.log(
            `cold start: ${fn.id} (${total} ms, of which ${message.initMs} ms importing the handler)`,
          );
          resolveReady();
        } else if (message.type === 'init-error') {
          // Like a failed Lambda init: this environment is discarded, the next invocation starts anew.
          const error = toError(message.error);
          rejectReady(error);
          forget(error);
          void worker.terminate();
        } else {
          const call = pending.get(message.id);
          pending.delete(message.id);
          if (message.type === 'result') {
            if (typeof message.result === 'object' && message.result !== null)
              handlerTimings.set(message.result, message.timing);
            call?.resolve(message.result);
          } else call?.reject(toError(message.error));
        }
      });
      worker.on('error', (error) => {
        rejectReady(error);
        forget(error);
      });
      worker.on('exit', (code) => {
        const error = new Error(`The worker of ${fn.id} exited (code ${code})`);
        rejectReady(error);
        forget(error);
      });
    });
    ready.catch(() => undefined);
    const entry = { worker, ready, pending };
    running.set(fn.id, entry);
    return entry;
  };

  const invoke = async (
    fn: FunctionDefinition,
    event: unknown,
    { timeoutMs = DEFAULT_TIMEOUT_MS, requestId = randomUUID() as string } = {},
  ): Promise<unknown> => {
    if (stopped) throw new Error('The local functions are stopped');
    const target = running.get(fn.id) ?? start(fn);
    await target.ready;
    const id = nextId++;
    const invocation: Invocation = { id, event, requestId, deadline: Date.now() + timeoutMs };
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.postMessage(invocation);
    });
  };

  return {
    tableRequests: () => tableRequests,
    invoke: (fn, event, invokeOptions) => invoke(fn, event, invokeOptions),
    handler: (fn) => (event, context) =>
      invoke(fn, event, {
        timeoutMs: context.getRemainingTimeInMillis(),
        requestId: context.awsRequestId,
      }),
    stop: async () => {
      stopped = true;
      const workers = [...running.values()].map((entry) => entry.worker);
      running.clear();
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
};
