import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/longest-first.ts';

/** One vitest project per test tier, so each tier runs alone (`npm run test:unit`, ...) or all together. */
export default defineConfig({
  test: {
    // Node 20 is supported by the SDK versions we pin; its notice about future versions is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Two test files at a time even on a 2-CPU machine (vitest would take one): much of the slower
    // tiers' time is spent waiting on other processes (DynamoDB Local, the runtime, Chromium, cdk
    // synth), which the other file's CPU work fills.
    maxWorkers: 2,
    // The longest files first, so that both workers stay busy to the end (test/support/longest-first.ts).
    sequence: { sequencer: LongestFirst },
    // Timeouts are about 3× the slowest 5% of each tier's tests on a busy 2-CPU machine: a test
    // that hangs fails in minutes, and a slowdown shows as a failure rather than hiding in them.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // One module graph for the tier: most files import the route table, and with it every
          // handler and SDK client; importing those once instead of in every file cut the tier's
          // CPU time by two thirds. Unit tests keep no state in modules (their ports are in memory,
          // made per test).
          isolate: false,
          // p95 0.1 s, but the property runs (0.4–2 s alone) took 8 s while integration files
          // held both CPUs.
          testTimeout: 15_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/dynamo-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          // One module graph for the tier: aws-cdk-lib is imported once and each context is
          // synthesized once (test/infra/stacks.ts), instead of both again in every file.
          isolate: false,
          // p95 2 s; the cdk-nag syntheses 6–18 s with load.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // One file that collects every e2e file in turn (test/e2e/tier.e2e.ts): the runtime has one
          // domain clock, which some tests move, so the files run one after another, beside the other tiers.
          include: ['test/e2e/tier.e2e.ts'],
          // One runtime for the whole tier; each file makes its own orgs (test/support/local-runtime.ts).
          globalSetup: ['test/support/runtime-global-setup.ts'],
          // p95 5–6 s at load 9, 20–40 s at load 19; the route table's walk and the fuzz run set their own.
          testTimeout: 60_000,
          // The fuzz file boots a runtime of its own (20–60 s with load).
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          // Builds the console once (web/dist) before any browser opens it, then starts the tier's runtime.
          globalSetup: ['test/browser/global-setup.ts', 'test/support/runtime-global-setup.ts'],
          // expect.poll waits on the page, which waits on the API: 1 s (vitest's default) is less than
          // one request takes with the run's other tiers on the same 2 CPUs.
          expect: { poll: { timeout: 30_000 } },
          // Chromium driven step by step like a person would, sharing 2 CPUs with the runtime and
          // another tier: p95 (the registration walk) 18–37 s alone, 29–77 s in the full run.
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'artifacts',
          include: ['test/artifacts/**/*.test.ts'],
          // The setup does the work: one `cdk synth` with real bundling (two when the stages' code
          // differs) while each stage's table is seeded, then one fresh Node process per function
          // and stage running all its routes (or its event), six at a time. At a load of 30–40 on
          // 2 cores: bundled after 440 s, the 34 runs 140 s. The tests only read the outcomes.
          testTimeout: 15_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
