/** The messages between the local runtime and a function's worker thread (infra/local/functions.ts). */

export type WorkerData = {
  functionName: string;
  /** As declared, relative to the repository root. */
  entry: string;
  entryFile: string;
  /** The domain clock's offset (infra/local/clock.ts). */
  clock: SharedArrayBuffer;
};

export type Invocation = { id: number; event: unknown; requestId: string; deadline: number };

export type SerializedError = { name: string; message: string; stack?: string };

export type HostMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: SerializedError };
