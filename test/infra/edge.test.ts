/**
 * The edge and the account: the stacks pinned to one account and region, the distribution's web ACL
 * in us-east-1 (managed common rules and a rate-based rule), malware scanning of attachments in
 * prod with downloads refused until clean, and the background jobs' reserved concurrency.
 */

import { describe, expect, it } from 'vitest';
import { SCAN_CLEAN, SCAN_TAG } from '#functions/adapters/s3/file-store.ts';
import {
  EXPIRY_FUNCTION,
  EXPORT_FUNCTION,
  HTTP_FUNCTION_DEFINITIONS,
  NOTIFICATION_FUNCTION,
  WEBHOOK_DELIVERY_FUNCTION,
  WEBHOOK_FAN_OUT_FUNCTION,
} from '#functions/environment.ts';
import { ORIGIN_HEADER } from '#functions/http/origin-check.ts';
import { EXPORT_CONCURRENCY } from '#infra/constructs/deal-exports.ts';
import { EXPIRY_CONCURRENCY } from '#infra/constructs/expiry-job.ts';
import { OUTBOX_CONSUMER_CONCURRENCY } from '#infra/constructs/outbox-stream.ts';
import { WEBHOOK_DELIVERY_CONCURRENCY } from '#infra/constructs/webhook-delivery.ts';
import { COUNTED_MANAGED_RULES, EDGE_REGION, MANAGED_RULES } from '#infra/stacks/edge-stack.ts';
import { stageSettings } from '#infra/stacks/stage.ts';
import {
  appFunctionsOf,
  DEPLOY_TARGET,
  PROD_DELIVERY,
  resourcesOf,
  synthesize,
  type TemplateResource,
} from './stacks.ts';

const dev = synthesize({ stage: 'dev' });
const prod = synthesize({ stage: 'prod', ...PROD_DELIVERY });

describe('stacks pinned to an account and region', () => {
  it.each([
    ['dev', dev],
    ['prod', prod],
  ] as const)(
    'pins every %s stack to the context’s account, and its region (the Edge stack: us-east-1)',
    (_, stacks) => {
      for (const stack of [stacks.data, stacks.api]) {
        expect([stack.stackName, stack.account, stack.region]).toEqual([
          stack.stackName,
          DEPLOY_TARGET.account,
          DEPLOY_TARGET.region,
        ]);
      }
      expect([stacks.edge.account, stacks.edge.region]).toEqual([DEPLOY_TARGET.account, EDGE_REGION]);
    },
  );

  it.each([
    [{ account: '' }, /-c account=\.\.\. \(account: missing\)/],
    [{ region: '' }, /-c region=\.\.\. \(region: missing\)/],
    [{ account: '1234' }, /account: "1234" is not a 12-digit AWS account id/],
    [{ region: 'europe' }, /region: "europe" is not an AWS region name/],
  ])('refuses to synthesize with %o', (context, message) => {
    expect(() => synthesize({ stage: 'dev', ...context })).toThrow(message);
  });
});

describe('the web ACL in front of the distribution', () => {
  const { edgeTemplate, apiTemplate } = dev;

  it('lives in us-east-1 with scope CLOUDFRONT: AWS managed common rules, then a rate-based rule per address', () => {
    const [[, acl]] = resourcesOf(edgeTemplate, 'AWS::WAFv2::WebACL') as [[string, TemplateResource]];
    expect(acl.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rules = acl.Properties.Rules as Record<string, unknown>[];
    expect(rules).toEqual([
      expect.objectContaining({
        Priority: 0,
        OverrideAction: { None: {} },
        Statement: {
          ManagedRuleGroupStatement: {
            VendorName: MANAGED_RULES.vendor,
            Name: MANAGED_RULES.name,
            RuleActionOverrides: COUNTED_MANAGED_RULES.map((name) => ({
              Name: name,
              ActionToUse: { Count: {} },
            })),
          },
        },
      }),
      expect.objectContaining({
        Priority: 1,
        Action: { Block: {} },
        Statement: {
          RateBasedStatement: {
            Limit: stageSettings('dev').edgeRateLimit,
            EvaluationWindowSec: 300,
            AggregateKeyType: 'IP',
          },
        },
      }),
    ]);
  });

  it('is attached to the distribution through a cross-region reference (read from us-east-1)', () => {
    const [[, distribution]] = resourcesOf(apiTemplate, 'AWS::CloudFront::Distribution') as [
      [string, TemplateResource],
    ];
    const webAcl = JSON.stringify(
      (distribution.Properties.DistributionConfig as Record<string, unknown>).WebACLId,
    );
    expect(webAcl).toMatch(/ExportsReader/);
    expect(apiTemplate.findResources('Custom::CrossRegionExportReader')).not.toEqual({});
    expect(JSON.stringify(edgeTemplate.findResources('Custom::CrossRegionExportWriter'))).toContain(
      DEPLOY_TARGET.region,
    );
  });

  it('blocks sooner in dev than in prod', () => {
    expect(stageSettings('dev').edgeRateLimit).toBeLessThan(stageSettings('prod').edgeRateLimit);
  });
});

describe('the API only through the distribution', () => {
  it.each([
    ['dev', dev],
    ['prod', prod],
  ] as const)(
    '%s: CloudFront sends the origin secret to the API, and every HTTP function expects exactly it',
    (_, stacks) => {
      const template = stacks.apiTemplate;
      const secretId = resourcesOf(template, 'AWS::SecretsManager::Secret')
        .map(([id]) => id)
        .find((id) => id.startsWith('OriginVerifySecret'));
      const secretValue = {
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
      };
      const [[, distribution]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as [
        [string, TemplateResource],
      ];
      const origins = (distribution.Properties.DistributionConfig as { Origins: Record<string, unknown>[] })
        .Origins;
      const apiOrigins = origins.filter((origin) =>
        JSON.stringify(origin.DomainName).includes('execute-api'),
      );
      expect(apiOrigins).toHaveLength(1);
      expect(apiOrigins[0]!.OriginCustomHeaders).toEqual([
        { HeaderName: ORIGIN_HEADER, HeaderValue: secretValue },
      ]);
      for (const fn of HTTP_FUNCTION_DEFINITIONS) {
        const [match] = appFunctionsOf(template).filter(([logicalId]) =>
          new RegExp(`${fn.id}Function[0-9A-F]{8}$`).test(logicalId),
        );
        expect(
          (match![1].Properties.Environment as { Variables: Record<string, unknown> }).Variables
            .ORIGIN_VERIFY,
          fn.id,
        ).toEqual(secretValue);
      }
    },
  );

  it('publishes the distribution as the API’s URL, not the execute-api host', () => {
    const url = JSON.stringify(dev.apiTemplate.findOutputs('ApiUrl'));
    expect(url).not.toContain('execute-api');
    expect(url).toMatch(/ConsoleDistribution[0-9A-F]+","DomainName"/);
  });
});

describe('malware scanning of attachments', () => {
  const bucketStatements = (template: typeof prod.dataTemplate) =>
    resourcesOf(template, 'AWS::S3::BucketPolicy').flatMap(
      ([, policy]) =>
        (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
  const scanModes = (template: typeof prod.apiTemplate) =>
    new Set(
      appFunctionsOf(template)
        .map(([, fn]) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables)
        .filter((variables) => 'ATTACHMENT_SCAN' in variables)
        .map((variables) => variables.ATTACHMENT_SCAN),
    );

  it('protects the prod bucket with GuardDuty, tagging each object with its verdict', () => {
    const [[bucketId]] = resourcesOf(prod.dataTemplate, 'AWS::S3::Bucket') as [[string, TemplateResource]];
    const [[roleId, role]] = resourcesOf(prod.dataTemplate, 'AWS::IAM::Role') as [[string, TemplateResource]];
    expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        expect.objectContaining({
          Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' },
        }),
      ],
    });
    prod.dataTemplate.hasResourceProperties('AWS::GuardDuty::MalwareProtectionPlan', {
      Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
      ProtectedResource: { S3Bucket: { BucketName: { Ref: bucketId } } },
      Actions: { Tagging: { Status: 'ENABLED' } },
    });
    // The role can read and tag objects and manage GuardDuty's own EventBridge rule.
    const actions = JSON.stringify(resourcesOf(prod.dataTemplate, 'AWS::IAM::Policy'));
    for (const action of [
      's3:GetObject',
      's3:PutObjectTagging',
      's3:PutBucketNotification',
      'events:PutRule',
    ]) {
      expect(actions).toContain(action);
    }
  });

  it('hands a file out in prod only once tagged clean: the API reads the tag, and no presigned GET fetches another', () => {
    expect(scanModes(prod.apiTemplate)).toEqual(new Set(['guardduty']));
    expect(bucketStatements(prod.dataTemplate)).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Condition: {
          StringEquals: { 's3:authType': 'REST-QUERY-STRING' },
          StringNotEquals: { [`s3:ExistingObjectTag/${SCAN_TAG}`]: SCAN_CLEAN },
        },
      }),
    );
  });

  it('scans nothing in dev (files count as clean)', () => {
    dev.dataTemplate.resourceCountIs('AWS::GuardDuty::MalwareProtectionPlan', 0);
    expect(scanModes(dev.apiTemplate)).toEqual(new Set(['none']));
    expect(JSON.stringify(bucketStatements(dev.dataTemplate))).not.toContain('s3:authType');
  });
});

describe('reserved concurrency of the background jobs', () => {
  it.each([
    [EXPIRY_FUNCTION.id, EXPIRY_CONCURRENCY],
    [NOTIFICATION_FUNCTION.id, OUTBOX_CONSUMER_CONCURRENCY],
    [WEBHOOK_FAN_OUT_FUNCTION.id, OUTBOX_CONSUMER_CONCURRENCY],
    [WEBHOOK_DELIVERY_FUNCTION.id, WEBHOOK_DELIVERY_CONCURRENCY],
    [EXPORT_FUNCTION.id, EXPORT_CONCURRENCY],
  ])('%s reserves %i', (id, reserved) => {
    const matches = appFunctionsOf(prod.apiTemplate).filter(([logicalId]) =>
      new RegExp(`${id}Function[0-9A-F]{8}$`).test(logicalId),
    );
    expect(matches).toHaveLength(1);
    expect(matches[0]![1].Properties.ReservedConcurrentExecutions).toBe(reserved);
  });

  it('leaves the API’s functions on the unreserved pool', () => {
    const reserved = appFunctionsOf(prod.apiTemplate).filter(
      ([, fn]) => fn.Properties.ReservedConcurrentExecutions !== undefined,
    );
    expect(reserved).toHaveLength(5);
  });
});
