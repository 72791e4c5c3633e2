/**
 * cfn-lint over the templates `cdk synth` makes for dev and prod (prod with the Template tests'
 * delivery values: the templates, not the domain, are what is checked). Exits non-zero on a
 * cfn-lint error; warnings are shown, and .cfnlintrc says which rules are off and why. .ci/run runs
 * it after the tests; it needs `cfn-lint` on PATH.
 *
 *     npx tsx infra/scripts/lint-templates.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '#infra/constructs/app-function.ts';
import { STAGE_CONTEXTS } from '#test/infra/stacks.ts';

const run = (command: string, args: string[]): number => {
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
};

const outdir = mkdtempSync(join(tmpdir(), 'lint-templates-'));
try {
  const templates = Object.values(STAGE_CONTEXTS).flatMap((context) => {
    const assembly = join(outdir, context.stage);
    // Naming only the Data stack (no functions) with --exclusively keeps esbuild from bundling
    // every function: all stacks are still synthesized and written, cdk-nag included, and bundling
    // changes asset hashes, not what a template declares.
    const synth = run('npx', [
      'cdk',
      'synth',
      '--quiet',
      '--exclusively',
      `CoSell-${context.stage}-Data`,
      '--output',
      assembly,
      ...Object.entries(context).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
    ]);
    if (synth !== 0) throw new Error(`cdk synth of ${context.stage} failed (exit ${synth}).`);
    return readdirSync(assembly)
      .filter((file) => file.endsWith('.template.json'))
      .map((file) => join(assembly, file));
  });
  console.log(`cfn-lint: ${templates.map((template) => template.slice(outdir.length + 1)).join(', ')}`);
  process.exitCode = run('cfn-lint', ['--non-zero-exit-code', 'error', '--', ...templates]);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
