/**
 * The e2e and browser tiers' global setup: one local runtime for the whole tier, started once
 * (DynamoDB Local's JVM, the emulators and the seed take most of a minute on a busy machine) and
 * handed to every test file as `inject('localRuntime')`. Each file onboards orgs of its own
 * (local-runtime.ts), so no file depends on what another did to the database.
 *
 * The runtime runs in a child process: its function workers and timers keep their own module
 * state (one runtime per process, as `npm start` has it), and vitest's own process stays free.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT } from '#infra/local/gateway.ts';
import type { RuntimeEndpoints } from './runtime-endpoints.ts';

const SCRIPT = join(REPO_ROOT, 'test', 'support', 'runtime-process.ts');
/** Observed 15–40 s on a shared 2-CPU machine. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

export const startRuntimeProcess = async (): Promise<{
  endpoints: RuntimeEndpoints;
  stop: () => Promise<void>;
}> => {
  const directory = mkdtempSync(join(tmpdir(), 'co-sell-test-runtime-'));
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, directory], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = async () => {
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited(child);
    clearTimeout(timer);
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    const endpoints = await new Promise<RuntimeEndpoints>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const log = () => {
        try {
          return readFileSync(join(directory, 'runtime.log'), 'utf8').split('\n').slice(-30).join('\n');
        } catch {
          return '(no log)';
        }
      };
      const timer = setTimeout(
        () => reject(new Error(`The local runtime did not start within ${START_TIMEOUT_MS} ms:\n${log()}`)),
        START_TIMEOUT_MS,
      );
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as RuntimeEndpoints);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The local runtime exited (${code}) before it answered:\n${log()}`));
      });
    });
    return { endpoints, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { endpoints, stop } = await startRuntimeProcess();
  project.provide('localRuntime', endpoints);
  return stop;
}
