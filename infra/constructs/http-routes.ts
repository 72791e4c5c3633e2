/**
 * The HTTP API's routes and the functions that serve them: one function per bounded context and
 * kind (its reads, its writes; functions/http/routes.ts), each with the union of its routes' table
 * and bucket access, one integration and one API-wide invoke permission. A route then costs one
 * resource (its API Gateway route), so the stack has room for years of routes.
 */
import {
  type CfnStage,
  type HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  EXPORT_PREFIX,
  httpFunctionBucketAccess,
  httpFunctionExportAccess,
  inspectsObjects,
} from '#functions/bucket-access.ts';
import { HTTP_FUNCTION_DEFINITIONS } from '#functions/environment.ts';
import {
  HTTP_FUNCTIONS,
  type HttpFunction,
  type IdentityProviderUse,
  ROUTES,
  routeKey,
} from '#functions/http/routes.ts';
import { httpFunctionTableAccess } from '#functions/table-access.ts';
import type { StageSettings } from '../stacks/stage.ts';
import type { AppFunction } from './app-function.ts';
import type { DealExports } from './deal-exports.ts';
import type { FunctionFactory } from './function-factory.ts';

/** The user-pool calls each use makes (functions/adapters/cognito), and no others. */
const USER_POOL_ACTIONS: Record<IdentityProviderUse, readonly string[]> = {
  'app-clients': ['cognito-idp:CreateUserPoolClient', 'cognito-idp:DeleteUserPoolClient'],
  users: [
    'cognito-idp:AdminCreateUser',
    'cognito-idp:AdminEnableUser',
    'cognito-idp:AdminUserGlobalSignOut',
    'cognito-idp:AdminDisableUser',
  ],
};

export type HttpRoutesProps = {
  api: HttpApi;
  stage: HttpStage;
  authorizer: IHttpRouteAuthorizer;
  attachments: IBucket;
  /** The pool that holds API clients; absent when another identity provider signs people in. */
  userPool?: IUserPool;
  settings: StageSettings;
  functions: FunctionFactory;
  /** The export job, which the routes that start exports invoke. */
  exports: DealExports;
};

export class HttpRoutes extends Construct {
  /** The function of each entry of HTTP_FUNCTIONS, by its id (e.g. `DealsReads`). */
  readonly functions = new Map<string, AppFunction>();
  /** The API Gateway route of each entry of the route table, keyed by `METHOD /path`. */
  readonly routes = new Map<string, HttpRoute>();

  constructor(scope: Construct, id: string, props: HttpRoutesProps) {
    super(scope, id);
    for (const served of HTTP_FUNCTIONS) this.addFunction(served, props);
    this.throttleRoutes(props);
  }

  private addFunction(served: HttpFunction, props: HttpRoutesProps): void {
    const definition = HTTP_FUNCTION_DEFINITIONS.find((candidate) => candidate.id === served.id);
    if (!definition) throw new Error(`No function definition for ${served.id}`);
    const fn = props.functions(this, definition, httpFunctionTableAccess(served));
    this.grantBucket(fn, served, props.attachments);
    if (served.routes.some((route) => route.startsJobs)) props.exports.grantStart(fn);
    this.grantIdentityProvider(fn, served, props.userPool);
    this.functions.set(served.id, fn);
    // One integration for all its routes, and one permission for API Gateway to invoke it from any
    // route of this API: a permission per route would cost a resource per route.
    const integration = new HttpLambdaIntegration(`${served.id}Integration`, fn.function, {
      scopePermissionToRoute: false,
    });
    for (const route of served.routes) {
      const key = routeKey(route);
      const httpRoute = new HttpRoute(this, key.replace(/[^A-Za-z0-9]/g, ''), {
        httpApi: props.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
        ...(route.auth === 'jwt' ? { authorizer: props.authorizer } : {}),
      });
      this.routes.set(key, httpRoute);
    }
  }

  /**
   * Exactly the user-pool actions of the function's writing routes: app clients for the routes that
   * make and revoke API clients, people's sign-ins for inviting and removing members.
   */
  private grantIdentityProvider(
    fn: AppFunction,
    served: HttpFunction,
    userPool: IUserPool | undefined,
  ): void {
    if (!userPool) return;
    const uses = new Set(
      served.routes
        .filter((route) => route.method !== 'GET')
        .flatMap((route) => route.identityProvider ?? []),
    );
    const actions = [...uses].flatMap((use) => USER_POOL_ACTIONS[use]);
    if (actions.length === 0) return;
    fn.allow(new PolicyStatement({ actions, resources: [userPool.userPoolArn] }));
  }

  /** Exactly the function's bucket actions on the attachments' objects (none for most). */
  private grantBucket(fn: AppFunction, served: HttpFunction, attachments: IBucket): void {
    const exportActions = httpFunctionExportAccess(served);
    if (exportActions.length > 0) {
      fn.allow(
        new PolicyStatement({
          actions: [...exportActions],
          resources: [attachments.arnForObjects(`${EXPORT_PREFIX}*`)],
        }),
      );
    }
    const actions = httpFunctionBucketAccess(served);
    if (actions.length === 0) return;
    fn.allow(new PolicyStatement({ actions: [...actions], resources: [attachments.arnForObjects('*')] }));
    if (inspectsObjects(actions)) {
      fn.allow(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [attachments.bucketArn] }));
    }
  }

  /**
   * Per-route limits below the stage's, for each route whose route-table entry names a throttle
   * class: creating a deal writes several items in one transaction, and the anonymous routes
   * (anyone on the internet) must not eat into what the members' routes get.
   */
  private throttleRoutes(props: HttpRoutesProps): void {
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const definition of ROUTES) {
      if (!definition.throttle) continue;
      const key = routeKey(definition);
      const route = this.routes.get(key);
      if (!route) continue;
      const { rateLimit, burstLimit } = props.settings.routeThrottles[definition.throttle];
      routeSettings[key] = { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit };
      // The stage may only name a route key that already exists: without this, CloudFormation may
      // create the stage first and the deployment fails.
      props.stage.node.addDependency(route);
    }
    // RouteSettings is a free-form map in the L1, so its keys are written as CloudFormation spells them.
    (props.stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', routeSettings);
  }
}
