/**
 * The web console's cloud hosting: one CloudFront distribution serving the private console bucket
 * (origin access control) and the HTTP API under /v1, the SPA rewrite, the Cognito public client
 * returning to the distribution, the console's URL in the notification consumer, and the Console
 * stack that writes the build and its config.json.
 */
import { runInNewContext } from 'node:vm';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_FUNCTION } from '#functions/environment.ts';
import { API_PATH_PATTERNS, SPA_REWRITE_SOURCE } from '#infra/constructs/console-hosting.ts';
import { consoleBuild, PROD_DELIVERY, resourcesOf, synthesize } from './stacks.ts';

type Behavior = Record<string, unknown> & { PathPattern?: string; TargetOriginId: string };
type Origin = Record<string, unknown> & { Id: string; DomainName: unknown };
type DistributionConfig = {
  Origins: Origin[];
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  DefaultRootObject?: string;
  Aliases?: string[];
  ViewerCertificate?: Record<string, unknown>;
};

const distributionOf = (template: Template): [string, DistributionConfig] => {
  const distributions = resourcesOf(template, 'AWS::CloudFront::Distribution');
  expect(distributions).toHaveLength(1);
  const [id, resource] = distributions[0]!;
  return [id, resource.Properties.DistributionConfig as DistributionConfig];
};

/** The logical id of the template's one resource of a type. */
const onlyId = (template: Template, type: string): string => {
  const ids = resourcesOf(template, type).map(([id]) => id);
  expect(ids, type).toHaveLength(1);
  return ids[0]!;
};

const consumerEnvironment = (template: Template): Record<string, unknown> => {
  const matches = resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) =>
    id.startsWith(`Notifications${NOTIFICATION_FUNCTION.id}Function`),
  );
  expect(matches).toHaveLength(1);
  return (matches[0]![1].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
};

/** `https://<the distribution's own domain name><suffix>`, as the template spells it. */
const distributionUrl = (distributionId: string, suffix = '') => ({
  'Fn::Join': [
    '',
    ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, ...(suffix ? [suffix] : [])],
  ],
});

describe('console distribution (dev: the distribution’s own domain)', () => {
  const { api, apiTemplate: template, console: consoleStack } = synthesize({ stage: 'dev' });
  const [distributionId, config] = distributionOf(template);
  const originOf = (behavior: Behavior) =>
    config.Origins.find((origin) => origin.Id === behavior.TargetOriginId)!;

  it('serves the console from the private bucket through origin access control, not an OAI', () => {
    const origin = originOf(config.DefaultCacheBehavior);
    const oacId = onlyId(template, 'AWS::CloudFront::OriginAccessControl');
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
    expect(origin).toMatchObject({
      DomainName: { 'Fn::GetAtt': [expect.stringMatching(/^ConsoleBucket/), 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
    });
  });

  it('keeps the bucket private: public access blocked, encrypted, TLS only, readable by this distribution alone', () => {
    const [[bucketId, bucket]] = resourcesOf(template, 'AWS::S3::Bucket') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();

    const [[, policy]] = resourcesOf(template, 'AWS::S3::BucketPolicy') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: distributionId },
                ],
              ],
            },
          },
        },
      },
    ]);
  });

  it('sends /v1/*, /health and /openapi.json to the HTTP API: uncached, every method, every viewer header but Host', () => {
    const httpApiId = onlyId(template, 'AWS::ApiGatewayV2::Api');
    expect(config.CacheBehaviors.map((behavior) => behavior.PathPattern)).toEqual([...API_PATH_PATTERNS]);
    for (const behavior of config.CacheBehaviors) {
      expect(behavior, behavior.PathPattern).toMatchObject({
        CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
        // All viewer headers (Authorization, If-Match, Idempotency-Key, …), query strings and
        // cookies reach the API; Host is the API's own.
        OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
        ViewerProtocolPolicy: 'https-only',
      });
      expect(behavior.AllowedMethods).toEqual(
        expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
      );
      expect(behavior.FunctionAssociations).toBeUndefined();
      expect(originOf(behavior)).toMatchObject({
        DomainName: {
          'Fn::Join': [
            '',
            [{ Ref: httpApiId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }],
          ],
        },
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      });
    }
  });

  it('answers console routes with index.html through a viewer-request function on the console behaviour only', () => {
    const functionId = onlyId(template, 'AWS::CloudFront::Function');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
    ]);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: SPA_REWRITE_SOURCE,
      FunctionConfig: { Runtime: 'cloudfront-js-2.0' },
    });
    // No error-response mapping: it would turn the API's own 404s into the console's page.
    expect((config as Record<string, unknown>).CustomErrorResponses).toBeUndefined();
  });

  it('sends security headers: a CSP allowing only its own origin and the sign-in provider, HSTS, no framing', () => {
    const policyId = (config.DefaultCacheBehavior.ResponseHeadersPolicyId as { Ref: string }).Ref;
    const policy = template.toJSON().Resources[policyId].Properties.ResponseHeadersPolicyConfig;
    const csp = JSON.stringify(Stack.of(api).resolve(policy.SecurityHeadersConfig.ContentSecurityPolicy));
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('amazoncognito.com');
    expect(policy.SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 730 * 24 * 3600,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin' },
    });
    for (const behavior of config.CacheBehaviors) {
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: expect.stringMatching(/^ConsoleApiHeaders/) });
    }
  });

  it('lets Cognito return only to the distribution: code flow, public client (no secret)', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      GenerateSecret: false,
      CallbackURLs: [distributionUrl(distributionId, '/signin/callback')],
      LogoutURLs: [distributionUrl(distributionId, '/')],
    });
  });

  it('links emails to the distribution: the consumer’s APP_BASE_URL is its URL', () => {
    expect(consumerEnvironment(template).APP_BASE_URL).toEqual(distributionUrl(distributionId));
    template.hasOutput('ConsoleUrl', { Value: distributionUrl(distributionId) });
  });

  it('gives the console what it needs at run time: same-origin API, the hosted UI, its client and return URLs', () => {
    const clientId = onlyId(template, 'AWS::Cognito::UserPoolClient');
    const resolved = api.resolve(api.consoleConfig) as { apiBaseUrl: string; auth: Record<string, unknown> };
    expect(resolved.apiBaseUrl).toBe('');
    expect(resolved.auth).toMatchObject({
      clientId: { Ref: clientId },
      redirectUri: distributionUrl(distributionId, '/signin/callback'),
      postLogoutRedirectUri: distributionUrl(distributionId, '/'),
      scopes: ['openid', 'email', 'profile'],
      // The pool is the Users stack's (infra/stacks/users-stack.ts).
      issuer: { 'Fn::ImportValue': expect.stringMatching(/^CoSell-dev-Users:.*UserPool6BA7E5F2ProviderURL/) },
    });
    for (const [key, path] of [
      ['authorizationEndpoint', '/oauth2/authorize'],
      ['tokenEndpoint', '/oauth2/token'],
      ['logoutEndpoint', '/logout'],
    ] as const) {
      const value = JSON.stringify(resolved.auth[key]);
      expect(value, key).toContain('amazoncognito.com');
      expect(value, key).toContain(path);
    }
  });

  it('leaves the Console stack out, with a warning, when the console is not built', () => {
    expect(consoleStack).toBeUndefined();
    Annotations.fromStack(api).hasWarning('*', Match.stringLikeRegexp('No console build'));
  });
});

describe('the SPA rewrite function', () => {
  const handler = runInNewContext(`${SPA_REWRITE_SOURCE}; handler`) as (event: {
    request: { uri: string };
  }) => { uri: string };
  const rewrite = (uri: string) => handler({ request: { uri } }).uri;

  it.each([
    ['/', '/index.html'],
    ['/deals/01ARZ3NDEKTSV4RRFFQ69G5FAV', '/index.html'],
    ['/deals/new', '/index.html'],
    ['/signin/callback', '/index.html'],
    ['/deals', '/index.html'],
  ])('answers the console route %s with %s', (uri, expected) => {
    expect(rewrite(uri)).toBe(expected);
  });

  it.each(['/index.html', '/config.json', '/assets/index-3f9a1c.js', '/favicon.ico'])(
    'leaves the file %s alone',
    (uri) => {
      expect(rewrite(uri)).toBe(uri);
    },
  );
});

describe('console distribution (prod: a domain of its own)', () => {
  const { apiTemplate: template } = synthesize({ stage: 'prod', ...PROD_DELIVERY });
  const [, config] = distributionOf(template);

  it('serves the custom domain with its ACM certificate and TLS 1.2 at least', () => {
    expect(config.Aliases).toEqual(['referrals.contoso.com']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: PROD_DELIVERY.consoleCertificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('links emails and Cognito to the custom domain', () => {
    expect(consumerEnvironment(template).APP_BASE_URL).toBe(PROD_DELIVERY.appBaseUrl);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: [`${PROD_DELIVERY.appBaseUrl}/signin/callback`],
      LogoutURLs: [`${PROD_DELIVERY.appBaseUrl}/`],
      GenerateSecret: false,
    });
  });
});

describe('Console stack (with a build)', () => {
  const { api, console: consoleStack } = synthesize({ stage: 'dev', consoleBuildDir: consoleBuild() });
  const template = Template.fromStack(consoleStack!);
  const deployments = resourcesOf(template, 'Custom::CDKBucketDeployment');
  const deployment = (prefix: string) => deployments.find(([id]) => id.startsWith(prefix))![1];

  it('comes after the Api stack and writes into its console bucket', () => {
    expect(consoleStack!.dependencies).toContain(api);
    for (const [, resource] of deployments) {
      expect(resource.Properties.DestinationBucketName).toEqual({
        'Fn::ImportValue': 'CoSell-dev-Api-ConsoleBucketName',
      });
    }
    Template.fromStack(api).hasOutput('ConsoleBucketName', {
      Export: { Name: 'CoSell-dev-Api-ConsoleBucketName' },
    });
  });

  it('uploads the hashed assets as immutable, and keeps earlier builds’ files', () => {
    expect(deployment('Assets').Properties).toMatchObject({
      Exclude: ['index.html', 'config.json'],
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      Prune: false,
      RetainOnDelete: false,
    });
  });

  it('then index.html and the stack’s config.json, always revalidated, and invalidates the distribution', () => {
    const entry = deployment('Entry');
    expect(entry.Properties).toMatchObject({
      Exclude: ['*'],
      Include: ['index.html', 'config.json'],
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/*'],
      DistributionId: { 'Fn::ImportValue': expect.stringContaining('ConsoleDistribution') },
    });
    // The build's files, then config.json with the deploy-time values (markers) of the Api stack.
    const markers = entry.Properties.SourceMarkers as Record<string, unknown>[];
    expect(markers).toHaveLength(2);
    expect(JSON.stringify(markers[1])).toContain('ConsoleDistribution');
    expect(entry.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^AssetsCustomResource/)]));
  });

  it('keeps the files when the stage keeps its data (prod)', () => {
    const prod = synthesize({ stage: 'prod', ...PROD_DELIVERY, consoleBuildDir: consoleBuild() });
    for (const [, resource] of resourcesOf(
      Template.fromStack(prod.console!),
      'Custom::CDKBucketDeployment',
    )) {
      expect(resource.Properties.RetainOnDelete).toBe(true);
    }
  });
});
