import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_SCOPES } from '#domain/kernel/actor.ts';
import { RESOURCE_SERVER_ID } from '#functions/adapters/cognito/scopes.ts';
import {
  AUTHORIZER_FUNCTION,
  HTTP_FUNCTION_DEFINITIONS,
  TOKEN_CLAIMS_FUNCTION,
} from '#functions/environment.ts';
import { HTTP_FUNCTIONS, type HttpFunction, ROUTES, routeKey } from '#functions/http/routes.ts';
import { appFunctionsOf, PROD_DELIVERY, resourcesOf, synthesize, type TemplateResource } from './stacks.ts';

/** The Lambda function of an entry of HTTP_FUNCTIONS (found by its declared description), with its logical id. */
const httpFunction = (template: Template, fn: HttpFunction): [string, TemplateResource] => {
  const description = HTTP_FUNCTION_DEFINITIONS.find((definition) => definition.id === fn.id)?.description;
  const matches = resourcesOf(template, 'AWS::Lambda::Function').filter(
    ([, resource]) => resource.Properties.Description === description,
  );
  expect(matches, fn.id).toHaveLength(1);
  return matches[0]!;
};

/** A function resource's environment variables. */
const variablesOf = (fn: TemplateResource): Record<string, unknown> =>
  (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

/** A value the Api stack imports from the Users stack's pool (its id, ARN or provider URL). */
const USERS_IMPORT = (what: 'Ref' | 'Arn' | 'ProviderURL') => ({
  'Fn::ImportValue': expect.stringMatching(new RegExp(`^CoSell-dev-Users:(?=.*UserPool)(?=.*${what})`)),
});

describe('api stack (dev, Cognito)', () => {
  const { api, apiTemplate: template } = synthesize({ stage: 'dev' });
  /** The permissions API Gateway invokes the functions through (the user pool has its own). */
  const apiPermissions = () =>
    resourcesOf(template, 'AWS::Lambda::Permission').filter(
      ([, permission]) => permission.Properties.Principal === 'apigateway.amazonaws.com',
    );

  it('costs one resource per route: routes share their function, its integration and its permission', () => {
    const routes = resourcesOf(template, 'AWS::ApiGatewayV2::Route').length;
    const perFunction = [
      resourcesOf(template, 'AWS::ApiGatewayV2::Integration').length,
      apiPermissions().length,
    ];
    expect(routes).toBe(ROUTES.length);
    // One more permission: API Gateway invoking the authorizer.
    expect(perFunction).toEqual([HTTP_FUNCTIONS.length, HTTP_FUNCTIONS.length + 1]);
  });

  it('is named after the stage and serves at least one route', () => {
    expect(api.stackName).toBe('CoSell-dev-Api');
    expect(ROUTES.length).toBeGreaterThan(0);
  });

  it('has one route per entry of ROUTES, guarded by the Lambda authorizer unless public', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length);
    for (const route of ROUTES) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey(route),
        AuthorizationType: route.auth === 'jwt' ? 'CUSTOM' : 'NONE',
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

  it('lets only the functions whose routes start exports invoke the export job, told its name', () => {
    const invokers = resourcesOf(template, 'AWS::IAM::Policy').filter(([, policy]) =>
      /"lambda:InvokeFunction","Effect":"Allow","Resource":\{"Fn::GetAtt":\["[A-Za-z]*ExportDealsFunction/.test(
        JSON.stringify(policy.Properties.PolicyDocument),
      ),
    );
    const starting = HTTP_FUNCTIONS.filter((served) => served.routes.some((route) => route.startsJobs));
    expect(starting.map((served) => served.id)).toEqual(['DealsWrites']);
    expect(invokers).toHaveLength(starting.length);
    for (const served of starting) {
      const [, fn] = httpFunction(template, served);
      const role = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      expect(JSON.stringify(invokers[0]![1].Properties.Roles)).toContain(role);
      const statement = (
        invokers[0]![1].Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }
      ).Statement.find((candidate) => candidate.Action === 'lambda:InvokeFunction');
      expect(JSON.stringify(statement?.Resource)).toMatch(/ExportDealsFunction[0-9A-F]{8}","Arn"/);
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.stringify(variables.EXPORT_FUNCTION_NAME)).toMatch(/ExportDealsFunction[0-9A-F]{8}/);
    }
  });

  it('serves the routes with one Node.js 22 arm64 function per context and kind, the cursor secret where one pages', () => {
    // Besides them: the authorizer, the expiry job, the notification consumer, the webhook fan-out and
    // delivery, the export job.
    expect(appFunctionsOf(template)).toHaveLength(HTTP_FUNCTIONS.length + 6);
    expect(HTTP_FUNCTIONS.length).toBeLessThan(ROUTES.length / 3);
    for (const served of HTTP_FUNCTIONS) {
      const [, fn] = httpFunction(template, served);
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
      // The cursor secret's name (its ARN), never its value: the function reads it at run time.
      const policies = JSON.stringify(
        resourcesOf(template, 'AWS::IAM::Policy').filter(([, policy]) =>
          JSON.stringify(policy.Properties.Roles).includes(
            (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0],
          ),
        ),
      );
      if (served.routes.some((route) => route.cursors)) {
        expect(variables.CURSOR_SECRET_ID).toEqual({ Ref: expect.stringMatching(/^CursorSecret/) });
        expect(policies).toContain('secretsmanager:GetSecretValue');
      } else {
        expect(variables.CURSOR_SECRET_ID).toBeUndefined();
        expect(policies).not.toContain('secretsmanager:');
      }
      expect(JSON.stringify(variables)).not.toContain('resolve:secretsmanager:{"Ref":"CursorSecret');
    }
  });

  it('integrates every route of a function with its one integration, invoked through one permission', () => {
    const integrations = new Map(
      resourcesOf(template, 'AWS::ApiGatewayV2::Integration').map(([id, integration]) => [
        id,
        JSON.stringify(integration.Properties.IntegrationUri),
      ]),
    );
    expect(integrations.size).toBe(HTTP_FUNCTIONS.length);
    // And one for API Gateway to invoke the authorizer.
    expect(apiPermissions()).toHaveLength(HTTP_FUNCTIONS.length + 1);
    for (const served of HTTP_FUNCTIONS) {
      const [logicalId] = httpFunction(template, served);
      const targets = resourcesOf(template, 'AWS::ApiGatewayV2::Route')
        .filter(([, route]) => served.routes.some((entry) => routeKey(entry) === route.Properties.RouteKey))
        .map(([, route]) => JSON.stringify(route.Properties.Target));
      expect(targets).toHaveLength(served.routes.length);
      expect(new Set(targets).size, served.id).toBe(1);
      const integrationId = /integrations\/",\{"Ref":"([^"]+)"/.exec(targets[0]!)?.[1];
      expect(integrations.get(integrationId!), served.id).toContain(logicalId);
    }
  });

  it('gives every function its own log group, kept one month in dev and deleted with the stack', () => {
    // One per function, plus the HTTP API's access log (ApiMonitoring).
    const functions = appFunctionsOf(template).length;
    template.resourceCountIs('AWS::Logs::LogGroup', functions + 1);
    template.allResources('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
    });
    for (const served of HTTP_FUNCTIONS) {
      const [, fn] = httpFunction(template, served);
      expect(fn.Properties.LoggingConfig).toMatchObject({ LogGroup: { Ref: expect.any(String) } });
    }
  });

  /** The authorizer function, found by its declared description, with its environment. */
  const authorizerFunction = (): TemplateResource => {
    const matches = resourcesOf(template, 'AWS::Lambda::Function').filter(
      ([, resource]) => resource.Properties.Description === AUTHORIZER_FUNCTION.description,
    );
    expect(matches).toHaveLength(1);
    return matches[0]![1];
  };

  it("authorizes with a Lambda authorizer, uncached, trusting the Users stack's pool and its console client", () => {
    // The pool itself is in the protected Users stack (users-stack.test.ts); its client and hosted UI here.
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 0,
    });
    expect(variablesOf(authorizerFunction())).toMatchObject({
      JWT_ISSUER: USERS_IMPORT('ProviderURL'),
      JWT_AUDIENCE: { Ref: expect.stringMatching(/UserPoolApiClient/) },
      JWKS_URL: {
        'Fn::Join': ['', [USERS_IMPORT('ProviderURL'), '/.well-known/jwks.json']],
      },
    });
    expect(variablesOf(authorizerFunction()).TABLE_NAME).toBeUndefined();
  });

  it('makes the API a resource server whose scopes API clients are granted', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: RESOURCE_SERVER_ID,
      UserPoolId: { 'Fn::ImportValue': Match.stringLikeRegexp('^CoSell-dev-Users:.*UserPool') },
      Scopes: API_SCOPES.map((scope) => ({ ScopeName: scope, ScopeDescription: Match.anyValue() })),
    });
  });

  it('lets only the function that invites and removes members and manages API clients reach the pool', () => {
    const identityWrites = HTTP_FUNCTIONS.find((fn) => fn.id === 'IdentityWrites')!;
    const [, fn] = httpFunction(template, identityWrites);
    expect(variablesOf(fn)).toMatchObject({
      USER_POOL_ID: USERS_IMPORT('Ref'),
      TOKEN_URL: expect.objectContaining({ 'Fn::Join': expect.anything() }),
    });
    const granting = resourcesOf(template, 'AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes('cognito-idp:'),
    );
    expect(granting).toHaveLength(1);
    const statements = (granting[0]![1].Properties.PolicyDocument as { Statement: unknown[] }).Statement as {
      Action: string | string[];
      Resource: unknown;
    }[];
    const cognito = statements.filter((statement) =>
      JSON.stringify(statement.Action).includes('cognito-idp:'),
    );
    expect(cognito).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminDisableUser',
          'cognito-idp:AdminEnableUser',
          'cognito-idp:AdminUserGlobalSignOut',
          'cognito-idp:CreateUserPoolClient',
          'cognito-idp:DeleteUserPoolClient',
        ],
        Resource: USERS_IMPORT('Arn'),
      },
    ]);
    for (const route of ['POST /v1/org/users', 'DELETE /v1/org/users/{email}', 'POST /v1/org/api-clients'])
      expect(identityWrites.routes.map(routeKey)).toContain(route);
    const role = (granting[0]![1].Properties.Roles as { Ref: string }[])[0]!.Ref;
    expect(JSON.stringify(fn.Properties.Role)).toContain(role);
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

  it('outputs the API URL, the user pool, its client, the hosted UI and the alarm topic', () => {
    for (const output of ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'HostedUiUrl', 'AlarmTopicArn']) {
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
    const [[, authorizer]] = resourcesOf(template, 'AWS::Lambda::Function').filter(
      ([, resource]) => resource.Properties.Description === AUTHORIZER_FUNCTION.description,
    ) as [[string, TemplateResource]];
    expect(variablesOf(authorizer)).toMatchObject({
      JWT_ISSUER: issuer,
      JWT_AUDIENCE: 'api://co-sell,co-sell-console',
      JWKS_URL: `${issuer}/.well-known/jwks.json`,
    });
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    expect(Object.keys(template.findOutputs('UserPoolId'))).toEqual([]);
    // No pool, no token trigger: that provider's tokens claim no org, and the API reads it first.
    expect(
      resourcesOf(template, 'AWS::Lambda::Function').filter(
        ([, fn]) => fn.Properties.Description === TOKEN_CLAIMS_FUNCTION.description,
      ),
    ).toEqual([]);
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
