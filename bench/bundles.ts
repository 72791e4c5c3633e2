/**
 * Benchmark 3: each function's minified bundle, built with the options of
 * infra/constructs/app-function.ts, and its cold import time (a fresh Node process importing the
 * bundle, module initialization included) against an empty handler that imports only the same
 * AWS SDK packages (which the Lambda runtime provides, so they are external to both).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { FUNCTIONS } from '#functions/environment.ts';
import { EXTERNAL_MODULES, PROJECT_ROOT } from '#infra/constructs/app-function.ts';
import { progress, type Summary, summarize } from './lib/stats.ts';

/** The bundling options NodejsFunction gets from AppFunction (format, target, banner, minify, externals). */
const BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export type BundleResult = {
  entry: string;
  bytes: number;
  sdkImports: string[];
  coldImport: Summary;
  baseline: Summary;
};

// Inside the project, so the bundles resolve the AWS SDK from node_modules as the runtime provides it.
const OUT_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'co-sell-bench');

const bundle = async (entry: string, outfile: string) => {
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: EXTERNAL_MODULES,
    metafile: true,
    logLevel: 'error',
  });
  const output = Object.values(result.metafile.outputs).find((out) => out.entryPoint !== undefined);
  const sdkImports = [
    ...new Set(
      (output?.imports ?? []).filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path),
    ),
  ].sort();
  return { bytes: statSync(outfile).size, sdkImports };
};

/** Import time of a module in a fresh Node process (ms), `runs` times. */
const coldImport = (file: string, runs: number): number[] => {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        'const t = performance.now(); await import(process.argv[1]); console.log(performance.now() - t);',
        file,
      ],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          AWS_REGION: 'us-east-1',
        },
      },
    );
    if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr}`);
    samples.push(Number(child.stdout.trim().split('\n').at(-1)));
  }
  return samples;
};

export const benchBundles = async (options: { runs: number }): Promise<BundleResult[]> => {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  // Every deployed function: the HTTP API's per context and kind, and the background jobs.
  const entries = [...new Set(FUNCTIONS.map((fn) => fn.entry))].filter((entry) =>
    existsSync(join(PROJECT_ROOT, entry)),
  );
  const baselines = new Map<string, string>();
  const results: BundleResult[] = [];
  for (const entry of entries) {
    const name = entry
      .replace(/^functions\//, '')
      .replace(/\.ts$/, '')
      .replaceAll('/', '-');
    const outfile = join(OUT_DIR, `${name}.mjs`);
    const { bytes, sdkImports } = await bundle(entry, outfile);
    const key = sdkImports.join(',');
    let baselineOut = baselines.get(key);
    if (!baselineOut) {
      // The empty handler: the same SDK packages, kept reachable, and nothing else.
      const source = join(OUT_DIR, `baseline-${baselines.size}.ts`);
      writeFileSync(
        source,
        `${sdkImports.map((path, i) => `import * as sdk${i} from '${path}';`).join('\n')}\nexport const keep = [${sdkImports.map((_, i) => `sdk${i}`).join(', ')}];\nexport const handler = async () => ({ statusCode: 200 });\n`,
      );
      baselineOut = join(OUT_DIR, `baseline-${baselines.size}.mjs`);
      await build({
        entryPoints: [source],
        outfile: baselineOut,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        banner: { js: BANNER },
        minify: true,
        external: EXTERNAL_MODULES,
        logLevel: 'error',
      });
      baselines.set(key, baselineOut);
    }
    // Alternating runs, so load changes on the machine hit both sides alike.
    const own: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      base.push(...coldImport(baselineOut, 1));
      own.push(...coldImport(outfile, 1));
    }
    const result: BundleResult = {
      entry,
      bytes,
      sdkImports,
      coldImport: summarize(own),
      baseline: summarize(base),
    };
    results.push(result);
    progress(
      `${entry}: ${(bytes / 1024).toFixed(1)} KB, cold import ${result.coldImport.median.toFixed(1)} ms vs ${result.baseline.median.toFixed(1)} ms (${sdkImports.join(', ')})`,
    );
  }
  return results;
};
