/** The messages between the local runtime and a function's worker thread (infra/local/functions.ts). */

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

export type SerializedError = { name: string; message: string; stack?: string };

export type HostMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: SerializedError }
  /** `durationMs`: the handler's own time, from the invocation's arrival in the worker to its result. */
  | { type: 'result'; id: number; result: unknown; durationMs: number }
  | { type: 'error'; id: number; error: SerializedError }
  /** A DynamoDB call about to be sent, while the parent observes (it answers with `Proceed`). */
  | { type: 'dynamo-call'; callId: number; command: string; input: unknown }
  | { type: 'dynamo-output'; callId: number; output: unknown };
