/**
 * The artifact tier's machinery: synthesize the CDK app with real esbuild bundling, find every
 * Lambda function in the cloud assembly, and run its bundle from cdk.out in a fresh Node process
 * with exactly the template's environment (what cannot resolve offline replaced by placeholders)
 * plus the explicit local-only set, as the Lambda runtime would load and invoke it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { FUNCTIONS, type FunctionDefinition } from '#functions/environment.ts';
import { PROJECT_ROOT } from '#infra/constructs/app-function.ts';
import { type LocalEndpoints, localOnlyEnvironment } from '#infra/local/functions.ts';
import { createCoSellStacks } from '#infra/stacks/co-sell-app.ts';
import { CDK_JSON_CONTEXT, isLibraryFunctionPath } from '#test/infra/stacks.ts';

/** Inside the repository, so the bundles resolve the AWS SDK (external, as in Lambda) from node_modules. */
export const ARTIFACTS_DIR = join(PROJECT_ROOT, 'cdk.out', 'artifacts');

const INVOKER = join(PROJECT_ROOT, 'test', 'support', 'invoke-bundle.mjs');

type Output = { code: number | null; output: string };

const run = (command: string, args: string[], options: { env: NodeJS.ProcessEnv; timeoutMs: number }) =>
  new Promise<Output>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: PROJECT_ROOT,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });

/** `cdk synth` of one stage into `cdk.out/artifacts/<stage>`, bundling every function with esbuild. */
export const synthStage = async (stage: string, context: Record<string, string>): Promise<string> => {
  const outdir = join(ARTIFACTS_DIR, stage);
  rmSync(outdir, { recursive: true, force: true });
  const args = ['cdk', 'synth', '--quiet', '--output', outdir, '--context', `stage=${stage}`];
  for (const [key, value] of Object.entries(context)) args.push('--context', `${key}=${value}`);
  const { code, output } = await run('npx', args, { env: process.env, timeoutMs: 600_000 });
  if (code !== 0) throw new Error(`cdk synth (${stage}) failed:\n${output}`);
  return outdir;
};

/** One stage's functions as its templates deploy them, and each one's code hash by function id. */
export type UnbundledStage = { functions: DeployedFunction[]; codeHashes: Map<string, string> };

/**
 * One stage's templates as `cdk synth` makes them, but in this process and with bundling skipped
 * (seconds instead of minutes): every function's environment as deployed, and a hash naming the
 * code its bundle would hold.
 *
 * That hash is what makes the comparison of stages sound. For a skipped bundle CDK stages the asset
 * once per cache key (source path, the complete bundling options: entry, esbuild settings,
 * externals, banner; and the output directory) and reuses it for every later asset with the same
 * key. Every stage is synthesized here into the same directory, so a function of a later stage
 * gets an earlier stage's hash exactly when its bundle would be built from the same entry with the
 * same options; any difference gives it a hash of its own (its bundling options are part of it).
 */
export const synthStageUnbundled = (stage: string, context: Record<string, string>): UnbundledStage => {
  const outdir = join(ARTIFACTS_DIR, 'unbundled');
  rmSync(outdir, { recursive: true, force: true });
  const app = new App({
    outdir,
    context: {
      ...CDK_JSON_CONTEXT,
      // What the CLI adds, so the templates carry the construct paths deployedFunctions reads.
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:enable-asset-metadata': true,
      'aws:cdk:bundling-stacks': [],
      stage,
      ...context,
    },
  });
  createCoSellStacks(app);
  app.synth();
  const functions = deployedFunctions(outdir);
  const codeHashes = new Map(
    functions.map((fn) => [fn.definition.id, codeHashOf(outdir, fn.stack, fn.logicalId)] as const),
  );
  return { functions, codeHashes };
};

const codeHashOf = (outdir: string, stack: string, logicalId: string): string => {
  const template = JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')) as {
    Resources: Record<string, { Properties: { Code?: { S3Key?: unknown } } }>;
  };
  const key = template.Resources[logicalId]?.Properties.Code?.S3Key;
  if (typeof key !== 'string') throw new Error(`${stack}/${logicalId} has no asset S3Key`);
  return key;
};

/**
 * The function ids whose bundle differs between two unbundled syntheses (one missing on either
 * side counts): none means one stage's bundles are the other's too.
 */
export const differingBundles = (a: UnbundledStage, b: UnbundledStage): string[] =>
  [...new Set([...a.codeHashes.keys(), ...b.codeHashes.keys()])].filter(
    (id) => a.codeHashes.get(id) !== b.codeHashes.get(id),
  );

/** A Lambda function of a synthesized template, with its bundle and its environment as deployed. */
export type DeployedFunction = {
  stack: string;
  logicalId: string;
  /** Its declaration, found by its construct id. */
  definition: FunctionDefinition;
  /** The bundle's directory in cdk.out. */
  assetDir: string;
  handler: string;
  environment: Record<string, unknown>;
};

type TemplateResource = {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties: { Handler?: string; Environment?: { Variables?: Record<string, unknown> } };
};

/**
 * Functions aws-cdk-lib brings with its own handler code, not bundled from this repository: the
 * BucketDeployment handler (Python) that copies the console's files. Named one by one, so any other
 * function still has to be declared.
 */

/** Every `AWS::Lambda::Function` of every template but the library's own; throws on one that no declaration describes. */
export const deployedFunctions = (outdir: string): DeployedFunction[] =>
  readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .flatMap((file) => {
      const stack = file.replace(/\.template\.json$/, '');
      const template = JSON.parse(readFileSync(join(outdir, file), 'utf8')) as {
        Resources: Record<string, TemplateResource>;
      };
      return Object.entries(template.Resources)
        .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
        .filter(([, resource]) => !isLibraryFunctionPath(String(resource.Metadata?.['aws:cdk:path'] ?? '')))
        .map(([logicalId, resource]) => {
          const path = String(resource.Metadata?.['aws:cdk:path'] ?? '');
          // Each function's construct id is its declared id, wherever in the stack's constructs it sits.
          const definition = FUNCTIONS.find((fn) => path.endsWith(`/${fn.id}/Function/Resource`));
          if (!definition) {
            throw new Error(
              `${stack}/${logicalId} (${path}) is not a declared function: give it a representative event`,
            );
          }
          return {
            stack,
            logicalId,
            definition,
            assetDir: join(outdir, String(resource.Metadata?.['aws:asset:path'])),
            handler: resource.Properties.Handler ?? 'index.handler',
            environment: resource.Properties.Environment?.Variables ?? {},
          };
        });
    });

/**
 * The template's environment with every value that only resolves in AWS (a `Ref`, an import, a
 * dynamic reference to a secret) replaced: by `replacements[name]` where given (the table name must
 * name a real table), by a placeholder otherwise. Literal values stay as they are.
 */
export const offlineEnvironment = (
  variables: Record<string, unknown>,
  replacements: Record<string, string>,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : (replacements[name] ?? `placeholder-${name.toLowerCase()}`),
    ]),
  );

/** What the Lambda runtime itself sets in every execution environment (besides region and credentials). */
const lambdaRuntimeEnvironment = (fn: DeployedFunction, taskRoot: string): Record<string, string> => ({
  AWS_LAMBDA_FUNCTION_NAME: `${fn.stack}-${fn.definition.id}`,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  LAMBDA_TASK_ROOT: taskRoot,
  _HANDLER: fn.handler,
  TZ: ':UTC',
});

export type Invocation = { ok: boolean; results?: unknown[]; error?: string; output: string };

/**
 * Loads the function's bundle in a fresh Node process whose environment is exactly `environment`
 * plus what the Lambda runtime and the local emulators need, and invokes its handler with each of
 * `events` in turn, as one warm execution environment would.
 */
export const invokeBundle = async (
  fn: DeployedFunction,
  environment: Record<string, string>,
  endpoints: LocalEndpoints,
  events: unknown[],
): Promise<Invocation> => {
  const dir = mkdtempSync(join(tmpdir(), 'co-sell-artifact-'));
  try {
    const [file, exportName] = fn.handler.split('.');
    writeFileSync(join(dir, 'events.json'), JSON.stringify(events));
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(localOnlyEnvironment(endpoints))) {
      if (value !== undefined) env[name] = value;
    }
    Object.assign(env, lambdaRuntimeEnvironment(fn, fn.assetDir), environment);
    const { output } = await run(
      process.execPath,
      [INVOKER, join(fn.assetDir, `${file}.mjs`), exportName ?? 'handler', dir],
      // Each invocation has its own 30 s deadline (invoke-bundle.mjs), and the import its own.
      { env, timeoutMs: 30_000 * (events.length + 1) },
    );
    let outcome: { ok: boolean; results?: unknown[]; error?: string };
    try {
      outcome = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    } catch {
      outcome = { ok: false, error: 'the process ended without a result' };
    }
    return { ...outcome, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
