/**
 * Runs inside one function's worker thread, as the Lambda runtime runs inside one execution
 * environment: imports the handler module once (the cold start), then serves invocations one
 * message at a time. Its `process.env` is exactly what the parent gave the worker.
 *
 * The one thing installed besides the environment is local-runtime plumbing: the domain clock,
 * read from the parent's shared memory, through the composition root's override hook, so
 * `POST /dev/clock` moves every function.
 */
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { overrideDeps } from '#functions/composition/deps.ts';
import { observeDynamoCalls } from '#functions/observability.ts';
import {
  declaredTableAccess,
  describeTableRequest,
  grantsOf,
  tableRequestsOf,
} from '#functions/table-access.ts';
import { lambdaContext } from '../api-event.ts';
import { followClock } from '../clock.ts';
import type { HostMessage, Invocation, Proceed, WorkerData } from './protocol.ts';

const data = workerData as WorkerData;
const port = parentPort;
if (!port) throw new Error('function-host runs only in a worker thread');

const send = (message: HostMessage) => port.postMessage(message);

const serialize = (error: unknown) => {
  const { name, message, stack } =
    error instanceof Error ? error : { name: 'Error', message: String(error), stack: undefined };
  return { name, message, ...(stack ? { stack } : {}) };
};

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const observing = new Int32Array(data.observing);
const proceeding = new Map<number, () => void>();
let nextCallId = 1;

/**
 * While the parent observes DynamoDB calls (the benchmarks' recording), each call waits until the
 * parent's observer has seen it, then reports its output; otherwise the calls go out untouched.
 * Either way each call's time is added to the invocation's (its `Server-Timing`).
 */
let dynamoMs = 0;
let dynamoCalls = 0;

/** Adds a call's time, from now to its answer, to the invocation's DynamoDB time. */
const timedCall = (): ((output: object) => void) => {
  const started = performance.now();
  dynamoCalls += 1;
  return () => {
    dynamoMs += performance.now() - started;
  };
};

/**
 * IAM as the deployed role would apply it: a call the function's declared access does not grant
 * fails here as it would in the cloud (functions/table-access.ts), so a missing grant fails a local
 * request and its test, not a production one. Each kind of request granted is reported once, for
 * the check that no declared grant goes unused.
 */
const declaredAccess = declaredTableAccess(data.functionName);
const declaredGrants = declaredAccess ? grantsOf(declaredAccess) : [];
const reported = new Set<string>();

const authorizeTableCall = (command: string, input: object): void => {
  for (const request of tableRequestsOf(command, input)) {
    const line = describeTableRequest(request);
    if (!declaredGrants.some((grant) => grant.covers(request))) {
      throw Object.assign(
        new Error(
          `${data.functionName} is not authorized to perform ${line}: functions/table-access.ts declares no such access for it.`,
        ),
        { name: 'AccessDeniedException' },
      );
    }
    if (reported.has(line)) continue;
    reported.add(line);
    send({ type: 'table-request', request });
  }
};

const forwardDynamoCalls = () =>
  observeDynamoCalls((command, input) => {
    authorizeTableCall(command, input);
    if (Atomics.load(observing, 0) === 0) return timedCall();
    const callId = nextCallId++;
    return new Promise((resolve) => {
      proceeding.set(callId, () => {
        const timed = timedCall();
        resolve((output) => {
          timed(output);
          send({ type: 'dynamo-output', callId, output: structuredClone(output) });
        });
      });
      send({ type: 'dynamo-call', callId, command, input: structuredClone(input) });
    });
  });

const init = async (): Promise<Handler> => {
  overrideDeps({ clock: followClock(data.clock) });
  forwardDynamoCalls();
  const mod = (await import(pathToFileURL(data.entryFile).href)) as { handler?: unknown };
  if (typeof mod.handler !== 'function') throw new Error(`${data.entry} does not export a handler function`);
  return mod.handler as Handler;
};

const started = performance.now();
try {
  const handler = await init();
  send({ type: 'ready', initMs: Math.round(performance.now() - started) });
  port.on('message', (message: Invocation | Proceed) => {
    if ('type' in message) {
      proceeding.get(message.callId)?.();
      proceeding.delete(message.callId);
      return;
    }
    const invocation = message;
    const arrived = performance.now();
    // Invocations of one worker may overlap locally (a Lambda environment serves one at a time):
    // then each one's figure also counts the calls of the others in flight.
    dynamoMs = 0;
    dynamoCalls = 0;
    const context = lambdaContext({
      functionName: data.functionName,
      timeoutMs: Math.max(0, invocation.deadline - Date.now()),
      region: process.env.AWS_REGION,
    });
    context.awsRequestId = invocation.requestId;
    handler(invocation.event, context).then(
      (result) =>
        send({
          type: 'result',
          id: invocation.id,
          result,
          timing: { durationMs: performance.now() - arrived, dynamoMs, dynamoCalls },
        }),
      (error: unknown) => send({ type: 'error', id: invocation.id, error: serialize(error) }),
    );
  });
} catch (error) {
  send({ type: 'init-error', error: serialize(error) });
}
