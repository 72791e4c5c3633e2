import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { AUTHORIZER_FUNCTION } from '#functions/environment.ts';
import { applyNag } from '#infra/nag.ts';
import { createCoSellStacks } from '#infra/stacks/co-sell-app.ts';
import { cdkSynthContext, consoleBuild, PROD_DELIVERY, resourcesOf, synthesize } from './stacks.ts';

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

/** The `-c key=value` pairs of the prod deploy command in docs/deploy.md (after `<!-- runbook:prod -->`). */
const runbookProdContext = (): Record<string, string> => {
  const runbook = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
  const block = /<!-- runbook:prod -->\s*```sh\n([\s\S]*?)```/.exec(runbook)?.[1];
  expect(block, 'docs/deploy.md has the prod runbook block').toBeDefined();
  expect(block).toContain('npm run deploy');
  return Object.fromEntries(
    [...block!.matchAll(/-c\s+([\w]+)=(\S+)/g)].map(([, key, value]) => [key, value]),
  );
};

describe('prod needs a real sender; a console domain of its own must be real and certified', () => {
  it('stops synthesis naming the sender when it is missing (the console may live at the distribution)', () => {
    expect(() => synthesize({ stage: 'prod' })).toThrow(/-c emailFrom=\.\.\. \(emailFrom: missing\)/);
    expect(() => synthesize({ stage: 'prod', emailFrom: PROD_DELIVERY.emailFrom })).not.toThrow();
  });

  it.each([
    [
      { ...PROD_DELIVERY, emailFrom: 'no-reply@example.com' },
      /emailFrom: "no-reply@example.com" is a placeholder/,
    ],
    [{ ...PROD_DELIVERY, emailFrom: 'ops@contoso.test' }, /emailFrom: .* is a placeholder/],
    [{ ...PROD_DELIVERY, emailFrom: 'not-an-address' }, /emailFrom: .* is not an email address/],
    [{ ...PROD_DELIVERY, appBaseUrl: 'http://localhost:3000' }, /appBaseUrl: .* is not https/],
    [{ ...PROD_DELIVERY, appBaseUrl: 'https://localhost:3000' }, /appBaseUrl: .* is a placeholder/],
    [{ ...PROD_DELIVERY, appBaseUrl: 'https://console.example.org' }, /appBaseUrl: .* is a placeholder/],
    [
      { ...PROD_DELIVERY, appBaseUrl: 'https://contoso.com/referrals' },
      /appBaseUrl: .* is not just https:\/\/<host>/,
    ],
    [
      { emailFrom: PROD_DELIVERY.emailFrom, appBaseUrl: PROD_DELIVERY.appBaseUrl },
      /consoleCertificateArn: missing/,
    ],
    [
      {
        ...PROD_DELIVERY,
        consoleCertificateArn: PROD_DELIVERY.consoleCertificateArn.replace('us-east-1', 'eu-west-1'),
      },
      /consoleCertificateArn: .* is not the ARN of an ACM certificate in us-east-1/,
    ],
    [
      { emailFrom: PROD_DELIVERY.emailFrom, consoleCertificateArn: PROD_DELIVERY.consoleCertificateArn },
      /consoleCertificateArn: given without appBaseUrl/,
    ],
  ])('refuses %o', (context, message) => {
    expect(() => synthesize({ stage: 'prod', ...context })).toThrow(message);
  });

  it('holds a dev console domain to the same rules, placeholders aside', () => {
    expect(() => synthesize({ stage: 'dev', appBaseUrl: 'https://console.contoso.com' })).toThrow(
      /consoleCertificateArn: missing/,
    );
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

describe('the deploy runbook', () => {
  const context = runbookProdContext();

  it('names every value prod requires', () => {
    expect(context).toMatchObject({ stage: 'prod' });
    expect(Object.keys(context)).toEqual(
      expect.arrayContaining(['emailFrom', 'appBaseUrl', 'consoleCertificateArn', 'alarmEmail']),
    );
  });

  it('synthesizes prod with exactly its values, cdk-nag included (as `cdk deploy` would)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'runbook-'));
    outdirs.push(outdir);
    // With a console build, as a deploy after building web/ would: the Console stack is checked too.
    const app = new App({
      outdir,
      context: cdkSynthContext({ consoleBuildDir: consoleBuild(), ...context }),
    });
    const stacks = createCoSellStacks(app);
    applyNag(app, stacks);
    expect(() => app.synth()).not.toThrow();
    expect(stacks.console).toBeDefined();

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
    // The authorizer writes no metrics, so it is given no namespace.
    const namespaces = (t: Template) =>
      new Set(
        resourcesOf(t, 'AWS::Lambda::Function')
          .filter(([, fn]) => fn.Properties.Description !== AUTHORIZER_FUNCTION.description)
          .map(
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
      CallbackURLs: [`${PROD_DELIVERY.appBaseUrl}/signin/callback`],
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
  });

  it('gives the pool a hosted UI domain', () => {
    synthesize({ stage: 'dev' }).apiTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: Match.anyValue(),
    });
  });
});
