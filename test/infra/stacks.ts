/** Builds the real app's stacks for Template assertions, with bundling skipped (no esbuild runs). */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type CoSellStacks, createCoSellStacks } from '#infra/stacks/co-sell-app.ts';

/**
 * Context a prod synthesis needs besides the stage (docs/deploy.md's runbook uses the same kind of
 * values): a real sender, and the console at a domain of its own with its us-east-1 certificate.
 */
export const PROD_DELIVERY = {
  emailFrom: 'no-reply@referrals.contoso.com',
  appBaseUrl: 'https://referrals.contoso.com',
  consoleCertificateArn:
    'arn:aws:acm:us-east-1:123456789012:certificate/0b4c1f2e-6d7a-4e8b-9c3d-2a1f0e9d8c7b',
} as const;

/** The context of each stage's synthesis as the tests and template checks use it. */
export const STAGE_CONTEXTS = {
  dev: { stage: 'dev' },
  prod: { stage: 'prod', ...PROD_DELIVERY },
} as const satisfies Record<string, Record<string, string>>;

/**
 * The feature flags of cdk.json, which `cdk synth` applies (they change what some constructs make,
 * e.g. where a grant's policy lands): tests that claim to check what `cdk deploy` checks use them.
 */
export const CDK_JSON_CONTEXT: Record<string, unknown> = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

let build: string | undefined;
/** A console build as Vite lays it out (index.html naming a hashed asset), made once per test file. */
export const consoleBuild = (): string => {
  if (!build) {
    build = mkdtempSync(join(tmpdir(), 'console-build-'));
    mkdirSync(join(build, 'assets'));
    writeFileSync(
      join(build, 'index.html'),
      '<!doctype html><title>Co-sell</title><script type="module" src="/assets/index-3f9a1c.js"></script>',
    );
    writeFileSync(join(build, 'assets', 'index-3f9a1c.js'), 'document.title = "Co-sell";\n');
  }
  return build;
};

/** A directory without a console build: the tests do not depend on whether web/dist was built. */
export const NO_CONSOLE_BUILD = join(tmpdir(), 'co-sell-no-console-build');

/**
 * What the CDK CLI adds to every app it runs, besides cdk.json's context (its defaults; see
 * `contextFromSettings` in aws-cdk): path and asset metadata, and version reporting, which adds an
 * `AWS::CDK::Metadata` resource to each stack (it counts towards CloudFormation's limit like any
 * other). Bundling is the one difference kept: it changes asset hashes, not what a template holds.
 */
const CLI_CONTEXT: Record<string, unknown> = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': [],
};

/**
 * The context `cdk synth -c key=value ...` gives the app: cdk.json's, the CLI's own, then the
 * command line's on top. Tests without a console build say so (`consoleBuildDir`), so they do not
 * depend on whether web/dist was built.
 */
export const cdkSynthContext = (context: Record<string, string> = {}): Record<string, unknown> => ({
  ...CDK_JSON_CONTEXT,
  ...CLI_CONTEXT,
  consoleBuildDir: NO_CONSOLE_BUILD,
  ...context,
});

export type Synthesized = CoSellStacks & {
  dataTemplate: Template;
  apiTemplate: Template;
  /** The Users stack's template (the user pool); absent when another OIDC provider is trusted. */
  usersTemplate?: Template;
};

const synthesized = new Map<string, Synthesized>();

/**
 * The app's stacks as `cdk synth` makes them with this context on the command line, synthesized
 * once and shared by every test asking for the same context (the infra tier runs its files in one
 * module graph, `isolate: false`, so across files too): a synthesis takes seconds and these tests
 * only read what it made. A test that adds constructs takes `synthesizeFresh`.
 */
export const synthesize = (context: Record<string, string> = {}): Synthesized => {
  const key = JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b)));
  let stacks = synthesized.get(key);
  if (!stacks) {
    stacks = synthesizeFresh(context);
    synthesized.set(key, stacks);
  }
  return stacks;
};

/** A synthesis of its own, for a test that changes the stacks. */
export const synthesizeFresh = (context: Record<string, string> = {}): Synthesized => {
  const stacks = createCoSellStacks(new App({ context: cdkSynthContext(context) }));
  return {
    ...stacks,
    dataTemplate: Template.fromStack(stacks.data),
    apiTemplate: Template.fromStack(stacks.api),
    ...(stacks.users ? { usersTemplate: Template.fromStack(stacks.users) } : {}),
  };
};

/** How many resources a template declares (CloudFormation allows 500 per stack). */
export const resourceCount = (template: Template): number =>
  Object.keys(template.toJSON().Resources as Record<string, unknown>).length;

export type TemplateResource = { Properties: Record<string, unknown>; DependsOn?: string[] };

/** Every resource of a type in a template, with its logical id. */
export const resourcesOf = (template: Template, type: string): [string, TemplateResource][] =>
  Object.entries(template.findResources(type)) as [string, TemplateResource][];
