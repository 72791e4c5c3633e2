import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  handlerEntry,
  ROUTES,
  type RouteDefinition,
  routeFunctionName,
  routeKey,
} from '#functions/http/routes.ts';
import { PROD_DELIVERY, resourcesOf, synthesize, type TemplateResource } from './stacks.ts';

/** The Lambda function of a route (its description is the route key), with its logical id. */
const routeFunction = (template: Template, route: RouteDefinition): [string, TemplateResource] => {
  const matches = resourcesOf(template, 'AWS::Lambda::Function').filter(
    ([, fn]) => fn.Properties.Description === routeKey(route),
  );
  expect(matches, routeKey(route)).toHaveLength(1);
  return matches[0]!;
};

describe('api stack (dev, Cognito)', () => {
  const { api, apiTemplate: template } = synthesize({ stage: 'dev' });

  it('is named after the stage and serves at least one route', () => {
    expect(api.stackName).toBe('CoSell-dev-Api');
    expect(ROUTES.length).toBeGreaterThan(0);
  });

  it('has one route per entry of ROUTES, JWT-authorized unless public', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length);
    for (const route of ROUTES) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey(route),
        AuthorizationType: route.auth === 'jwt' ? 'JWT' : 'NONE',
        ...(route.auth === 'jwt' ? { AuthorizerId: Match.anyValue() } : {}),
      });
    }
  });

  it('public routes carry no authorizer', () => {
    const publicKeys = ROUTES.filter((route) => route.auth === 'none').map(routeKey);
    for (const [, route] of resourcesOf(template, 'AWS::ApiGatewayV2::Route')) {
      if (publicKeys.includes(route.Properties.RouteKey as string)) {
        expect(route.Properties.AuthorizerId).toBeUndefined();
      }
    }
  });

  it('has one Node.js 22 arm64 function per route, bound to the table, the cursor secret where it pages', () => {
    // Besides the routes: the expiry job, the notification consumer, the webhook fan-out and delivery.
    const background = (api.expiryFunction ? 1 : 0) + (api.notifications ? 1 : 0) + (api.webhooks ? 2 : 0);
    template.resourceCountIs('AWS::Lambda::Function', ROUTES.length + background);
    for (const route of ROUTES) {
      const [, fn] = routeFunction(template, route);
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 1024,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(variables)).toEqual(
        expect.arrayContaining(['TABLE_NAME', 'NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME']),
      );
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
      if (route.cursors) expect(JSON.stringify(variables.CURSOR_SECRET)).toContain('CursorSecret');
      else expect(variables.CURSOR_SECRET).toBeUndefined();
    }
  });

  it('names each function after its route handler', () => {
    for (const route of ROUTES) {
      const [logicalId] = routeFunction(template, route);
      expect(logicalId.startsWith(routeFunctionName(route))).toBe(true);
      expect(handlerEntry(route)).toMatch(/^functions\/http\/.+\.ts$/);
    }
  });

  it('gives every function its own log group, kept one month in dev and deleted with the stack', () => {
    // One per function, plus the HTTP API's access log (ApiMonitoring).
    const functions = resourcesOf(template, 'AWS::Lambda::Function').length;
    template.resourceCountIs('AWS::Logs::LogGroup', functions + 1);
    template.allResources('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
    });
    for (const route of ROUTES) {
      const [, fn] = routeFunction(template, route);
      expect(fn.Properties.LoggingConfig).toMatchObject({ LogGroup: { Ref: expect.any(String) } });
    }
  });

  it('authorizes with the stack user pool: issuer is its provider URL, audience its app client', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UserPool'), 'ProviderURL'] },
        Audience: [{ Ref: Match.stringLikeRegexp('UserPoolApiClient') }],
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  const stageResource = (): TemplateResource => {
    const [[, stage]] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage') as [[string, TemplateResource]];
    return stage;
  };

  it('throttles the stage, POST /v1/deals harder, and each anonymous route hardest', () => {
    const stage = stageResource();
    const defaults = stage.Properties.DefaultRouteSettings as Record<string, number>;
    expect(defaults.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(defaults.ThrottlingBurstLimit).toBeGreaterThan(0);
    expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true });
    const settings = stage.Properties.RouteSettings as Record<string, Record<string, number>>;
    const createDeal = settings['POST /v1/deals'];
    expect(createDeal?.ThrottlingRateLimit).toBeLessThan(defaults.ThrottlingRateLimit!);
    expect(createDeal?.ThrottlingBurstLimit).toBeLessThan(defaults.ThrottlingBurstLimit!);
    const anonymous = ROUTES.filter((route) => route.auth === 'none').map(routeKey);
    expect(anonymous.length).toBeGreaterThan(0);
    for (const key of anonymous) {
      expect(settings[key]?.ThrottlingRateLimit, key).toBeLessThan(createDeal!.ThrottlingRateLimit!);
      expect(settings[key]?.ThrottlingBurstLimit, key).toBeLessThan(createDeal!.ThrottlingBurstLimit!);
    }
    expect(Object.keys(settings).sort()).toEqual([...anonymous, 'POST /v1/deals'].sort());
  });

  it('creates the stage only after every route its RouteSettings names (CloudFormation rejects an unknown route key)', () => {
    const stage = stageResource();
    const dependsOn = stage.DependsOn ?? [];
    const routeIds = new Map(
      resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([id, route]) => [
        route.Properties.RouteKey as string,
        id,
      ]),
    );
    const named = Object.keys(stage.Properties.RouteSettings as Record<string, unknown>);
    expect(named.length).toBeGreaterThan(0);
    for (const key of named) {
      const id = routeIds.get(key);
      expect(id, key).toBeDefined();
      expect(dependsOn, key).toContain(id);
    }
  });

  it('keeps CORS off', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.absent(),
    });
  });

  it('generates the cursor signing secret', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
  });

  it('outputs the API URL, the user pool, its client, the hosted UI, the table name and the alarm topic', () => {
    for (const output of [
      'ApiUrl',
      'UserPoolId',
      'UserPoolClientId',
      'HostedUiUrl',
      'TableName',
      'AlarmTopicArn',
    ]) {
      template.hasOutput(output, {});
    }
  });
});

describe('api stack (prod, external OIDC provider)', () => {
  const issuer = 'https://login.example.com/tenant/v2.0';
  const { apiTemplate: template } = synthesize({
    stage: 'prod',
    ...PROD_DELIVERY,
    jwtIssuer: issuer,
    jwtAudience: 'api://co-sell, co-sell-console',
  });

  it('trusts the issuer and audiences from context and creates no user pool', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: issuer, Audience: ['api://co-sell', 'co-sell-console'] },
    });
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    expect(Object.keys(template.findOutputs('UserPoolId'))).toEqual([]);
  });

  it('keeps logs for a year and retains them with the stack', () => {
    template.allResources('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  it('refuses an issuer without an audience', () => {
    expect(() => synthesize({ jwtIssuer: issuer })).toThrow(/jwtAudience/);
  });
});
