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
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';
import type { TableRequest } from '#functions/table-access.ts';
import { REPO_ROOT } from '#infra/local/gateway.ts';
import { unusedGrants } from './least-privilege.ts';
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

type TableRequests = Record<string, TableRequest[]>;

export const startRuntimeProcess = async (): Promise<{
  endpoints: RuntimeEndpoints;
  /** Stops the runtime; resolves to what each function asked of the table meanwhile. */
  stop: () => Promise<TableRequests>;
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
    const file = join(directory, 'table-requests.json');
    const requests = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TableRequests) : {};
    rmSync(directory, { recursive: true, force: true });
    return requests;
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

/** The tiers whose runtimes together exercise every function of the app through its real entry. */
const TIERS_WITH_A_RUNTIME = ['e2e', 'browser'];

/**
 * Where this test run's tiers leave what their runtime's functions asked of the table. vitest runs
 * every project's global setup in its one main process, so the tiers of one run share it.
 */
const runDirectory = (): string => {
  process.env.CO_SELL_TABLE_REQUESTS_DIR ??= mkdtempSync(join(tmpdir(), 'co-sell-table-requests-'));
  mkdirSync(process.env.CO_SELL_TABLE_REQUESTS_DIR, { recursive: true });
  return process.env.CO_SELL_TABLE_REQUESTS_DIR;
};

/**
 * A declared grant that no function used over every tier of this run is surplus (or its code path
 * is untested): the last tier to stop fails the run on it. A run of one tier alone skips the check,
 * as the other tier's journeys are part of what the grants are for.
 */
const checkUnusedGrants = (project: TestProject, requests: TableRequests): void => {
  const directory = runDirectory();
  writeFileSync(join(directory, `${project.name}.json`), JSON.stringify(requests));
  const inRun = project.vitest.projects.map((candidate) => candidate.name);
  if (!TIERS_WITH_A_RUNTIME.every((tier) => inRun.includes(tier))) return;
  const files = TIERS_WITH_A_RUNTIME.map((tier) => join(directory, `${tier}.json`));
  if (!files.every((file) => existsSync(file))) return;
  const made = new Map<string, TableRequest[]>();
  for (const file of files) {
    for (const [id, list] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as TableRequests)) {
      made.set(id, [...(made.get(id) ?? []), ...list]);
    }
  }
  rmSync(directory, { recursive: true, force: true });
  const unused = unusedGrants(made);
  if (unused.length > 0) {
    // vitest reports an error thrown here but keeps its exit code: set it, so the run fails.
    process.exitCode = 1;
    throw new Error(
      `These declared table grants were used by no request of the e2e and browser tiers: remove them from functions/table-access.ts, or test the code path that needs them.\n${unused.join('\n')}`,
    );
  }
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { endpoints, stop } = await startRuntimeProcess();
  project.provide('localRuntime', endpoints);
  return async () => checkUnusedGrants(project, await stop());
}
