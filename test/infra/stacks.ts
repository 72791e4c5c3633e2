/** Builds the real app's stacks for Template assertions, with bundling skipped (no esbuild runs). */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type CoSellStacks, createCoSellStacks } from '#infra/stacks/co-sell-app.ts';

/** Context a prod synthesis needs besides the stage (the README's runbook uses the same kind of values). */
export const PROD_DELIVERY = {
  emailFrom: 'no-reply@referrals.contoso.com',
  appBaseUrl: 'https://referrals.contoso.com',
} as const;

export type Synthesized = CoSellStacks & { dataTemplate: Template; apiTemplate: Template };

export const synthesize = (context: Record<string, string> = {}): Synthesized => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stacks = createCoSellStacks(app);
  return {
    ...stacks,
    dataTemplate: Template.fromStack(stacks.data),
    apiTemplate: Template.fromStack(stacks.api),
  };
};

export type TemplateResource = { Properties: Record<string, unknown>; DependsOn?: string[] };

/** Every resource of a type in a template, with its logical id. */
export const resourcesOf = (template: Template, type: string): [string, TemplateResource][] =>
  Object.entries(template.findResources(type)) as [string, TemplateResource][];
