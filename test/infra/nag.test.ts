import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { applyNag } from '#infra/nag.ts';
import { type CoSellStacks, createCoSellStacks } from '#infra/stacks/co-sell-app.ts';
import { cdkSynthContext, consoleBuild, PROD_DELIVERY } from './stacks.ts';

type Violation = { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] };

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Synthesizes the app with cdk-nag; returns the unacknowledged findings as `RULE at path`. */
const findings = (context: Record<string, string>, extend?: (stacks: CoSellStacks) => void): string[] => {
  const outdir = mkdtempSync(join(tmpdir(), 'nag-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    context: cdkSynthContext({ consoleBuildDir: consoleBuild(), ...context }),
  });
  const stacks = createCoSellStacks(app);
  extend?.(stacks);
  applyNag(app, stacks);
  try {
    app.synth();
    return [];
  } catch {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: Violation[] }[];
    };
    return report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map(
          (c) => `${violation.ruleName} (${violation.severity}) at ${c.constructPath}`,
        ),
      ),
    );
  }
};

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged finding in dev (Cognito user pool, the distribution’s own domain)', () => {
    expect(findings({ stage: 'dev' })).toEqual([]);
  });

  it('has no unacknowledged finding in prod with Cognito and the console at its own domain', () => {
    expect(findings({ stage: 'prod', ...PROD_DELIVERY })).toEqual([]);
  });

  it('has no unacknowledged finding in prod (external OIDC provider)', () => {
    expect(
      findings({
        stage: 'prod',
        ...PROD_DELIVERY,
        jwtIssuer: 'https://login.example.com/t/v2.0',
        jwtAudience: 'api://co-sell',
      }),
    ).toEqual([]);
  });

  it('still reports a finding nobody acknowledged', () => {
    // A queue without SSL enforcement or a dead-letter queue of its own: cdk-nag must object.
    const reported = findings({ stage: 'dev' }, (stacks) => new Queue(stacks.api, 'UnreviewedQueue'));
    expect(reported).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^AwsSolutions-SQS\d .* at CoSell-dev-Api\/UnreviewedQueue/),
      ]),
    );
  });
});
