import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { applyNag } from '#infra/nag.ts';
import { createCoSellStacks } from '#infra/stacks/co-sell-app.ts';
import { PROD_DELIVERY, resourcesOf, synthesize } from './stacks.ts';

const outdirs: string[] = [];
let prod: Template | undefined;
/** One prod synthesis shared by the tests below (each takes seconds). */
const prodTemplate = (): Template => {
  prod ??= synthesize({ stage: 'prod', ...PROD_DELIVERY }).apiTemplate;
  return prod;
};
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** The `-c key=value` pairs of the README's prod deploy command (the block after `<!-- runbook:prod -->`). */
const runbookProdContext = (): Record<string, string> => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- runbook:prod -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'README has the prod runbook block').toBeDefined();
  expect(block).toContain('npm run deploy');
  return Object.fromEntries(
    [...block!.matchAll(/-c\s+([\w]+)=(\S+)/g)].map(([, key, value]) => [key, value]),
  );
};

describe('prod needs a real sender and console URL', () => {
  it('stops synthesis naming both values when they are missing', () => {
    expect(() => synthesize({ stage: 'prod' })).toThrow(/emailFrom.*appBaseUrl/s);
  });

  it.each([
    [
      { emailFrom: 'no-reply@example.com', appBaseUrl: PROD_DELIVERY.appBaseUrl },
      /emailFrom: "no-reply@example.com" is a placeholder/,
    ],
    [
      { emailFrom: 'ops@contoso.test', appBaseUrl: PROD_DELIVERY.appBaseUrl },
      /emailFrom: .* is a placeholder/,
    ],
    [
      { emailFrom: 'not-an-address', appBaseUrl: PROD_DELIVERY.appBaseUrl },
      /emailFrom: .* is not an email address/,
    ],
    [
      { emailFrom: PROD_DELIVERY.emailFrom, appBaseUrl: 'http://localhost:3000' },
      /appBaseUrl: .* is not https/,
    ],
    [
      { emailFrom: PROD_DELIVERY.emailFrom, appBaseUrl: 'https://localhost:3000' },
      /appBaseUrl: .* is a placeholder/,
    ],
    [
      { emailFrom: PROD_DELIVERY.emailFrom, appBaseUrl: 'https://console.example.org' },
      /appBaseUrl: .* is a placeholder/,
    ],
  ])('refuses %o', (context, message) => {
    expect(() => synthesize({ stage: 'prod', ...context })).toThrow(message);
  });

  it('keeps the dev defaults for dev', () => {
    const { api } = synthesize({ stage: 'dev' });
    const consumer = api.notifications?.function.function;
    expect(consumer).toBeDefined();
  });

  it('refuses an alarmEmail that is not an address', () => {
    expect(() => synthesize({ stage: 'dev', alarmEmail: 'oncall' })).toThrow(/alarmEmail/);
  });
});

describe('the README runbook', () => {
  const context = runbookProdContext();

  it('names every value prod requires', () => {
    expect(context).toMatchObject({ stage: 'prod' });
    expect(Object.keys(context)).toEqual(expect.arrayContaining(['emailFrom', 'appBaseUrl', 'alarmEmail']));
  });

  it('synthesizes prod with exactly its values, cdk-nag included (as `cdk deploy` would)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'runbook-'));
    outdirs.push(outdir);
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
    const stacks = createCoSellStacks(app);
    applyNag(app, stacks);
    expect(() => app.synth()).not.toThrow();

    const template = Template.fromStack(stacks.api);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: context.alarmEmail,
    });
    template.hasOutput('AlarmTopicArn', {});
  });
});

describe('alarms reach people', () => {
  const { apiTemplate: template } = synthesize({ stage: 'dev', alarmEmail: 'ops@example.com' });

  it('subscribes alarmEmail to the alarm topic and outputs the topic ARN', () => {
    const [[topicId]] = resourcesOf(template, 'AWS::SNS::Topic') as [[string, unknown]];
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topicId },
    });
    template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
  });

  it('subscribes nobody without alarmEmail', () => {
    synthesize({ stage: 'dev' }).apiTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('writes business metrics to a namespace of the stage, so dev and prod never mix', () => {
    const namespaces = (t: Template) =>
      new Set(
        resourcesOf(t, 'AWS::Lambda::Function').map(
          ([, fn]) =>
            (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
              .POWERTOOLS_METRICS_NAMESPACE,
        ),
      );
    expect(namespaces(template)).toEqual(new Set(['CoSell/dev']));
    expect(namespaces(prodTemplate())).toEqual(new Set(['CoSell/prod']));
  });
});

describe('Cognito app client', () => {
  const client = (template: Template) => {
    const [[, resource]] = resourcesOf(template, 'AWS::Cognito::UserPoolClient') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    return resource.Properties;
  };

  it('allows only the authorization code flow, with the console URLs from appBaseUrl', () => {
    const prod = client(prodTemplate());
    expect(prod).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: [`${PROD_DELIVERY.appBaseUrl}/signin`],
      LogoutURLs: [`${PROD_DELIVERY.appBaseUrl}/`],
      GenerateSecret: false,
    });
    expect(prod.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email']));
  });

  it('offers no password auth flow in prod, and keeps it in dev for the CLI', () => {
    const prod = client(prodTemplate());
    expect(prod.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(prod.ExplicitAuthFlows).toContain('ALLOW_USER_SRP_AUTH');
    const dev = client(synthesize({ stage: 'dev' }).apiTemplate);
    expect(dev.ExplicitAuthFlows).toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(dev.CallbackURLs).toEqual(['http://localhost:3000/signin']);
  });

  it('gives the pool a hosted UI domain', () => {
    synthesize({ stage: 'dev' }).apiTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: Match.anyValue(),
    });
  });
});
