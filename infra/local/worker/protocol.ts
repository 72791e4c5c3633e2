/** The messages between the local runtime and a function's worker thread (infra/local/functions.ts). */
import type { TableRequest } from '#functions/table-access.ts';

export type WorkerData = {
  functionName: string;
  /** As declared, relative to the repository root. */
  entry: string;
  entryFile: string;
  /** The domain clock's offset (infra/local/clock.ts). */
  clock: SharedArrayBuffer;
  /** Non-zero while the parent observes DynamoDB calls (the benchmarks' recording). */
  observing: SharedArrayBuffer;
};

/** The parent's answer to a forwarded DynamoDB call: the call may go ahead. */
export type Proceed = { type: 'dynamo-proceed'; callId: number };

export type Invocation = { id: number; event: unknown; requestId: string; deadline: number };

/**
 * An invocation's time in its worker: `durationMs` from its arrival to its result, `dynamoMs` the
 * DynamoDB calls made meanwhile (`dynamoCalls` of them, each timed from its send to its answer, SDK
 * included).
 */
export type HandlerTiming = { durationMs: number; dynamoMs: number; dynamoCalls: number };

export type SerializedError = { name: string; message: string; stack?: string };

export type HostMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'result'; id: number; result: unknown; timing: HandlerTiming }
  | { type: 'error'; id: number; error: SerializedError }
  /** A DynamoDB call about to be sent, while the parent observes (it answers with `Proceed`). */
  | { type: 'dynamo-call'; callId: number; command: string; input: unknown }
  | { type: 'dynamo-output'; callId: number; output: unknown }
  /** A kind of table request the function made for the first time (its declared access granted it). */
  | { type: 'table-request'; request: TableRequest };
