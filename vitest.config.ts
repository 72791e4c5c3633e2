import { defineConfig } from 'vitest/config';

/** One vitest project per test tier, so each tier runs alone (`npm run test:unit`, ...) or all together. */
export default defineConfig({
  test: {
    // Node 20 is supported by the SDK versions we pin; its notice about future versions is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
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
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // One runtime for the whole tier; each file makes its own orgs (test/support/local-runtime.ts).
          globalSetup: ['test/support/runtime-global-setup.ts'],
          // The runtime has one domain clock, which some tests move: one file at a time.
          fileParallelism: false,
          testTimeout: 120_000,
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
          // One local runtime and one Chromium per file, driven step by step like a person would.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'artifacts',
          include: ['test/artifacts/**/*.test.ts'],
          // Two `cdk synth` runs with real bundling, then one fresh Node process per function.
          testTimeout: 120_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
