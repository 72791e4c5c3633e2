/**
 * The stateless stack: one function per route of the route table, the HTTP API with its JWT
 * authorizer, and (unless another OIDC provider is configured) the Cognito user pool that issues
 * the tokens. Later issues add the expiry schedule, the notification stream consumer and alarms
 * through the extension points at the bottom of this class.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { EmailIdentity, type IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENTITY } from '#functions/adapters/dynamo/keys.ts';
import {
  type EnvValues,
  EXPIRY_FUNCTION,
  type FunctionDefinition,
  NOTIFICATION_FUNCTION,
  routeFunction,
} from '#functions/environment.ts';
import { ROUTES, type RouteDefinition, routeFunctionName } from '#functions/http/routes.ts';
import { ApiMonitoring } from '../constructs/api-monitoring.ts';
import { AppFunction, type AppFunctionProps, type TableAccess } from '../constructs/app-function.ts';
import type { StageSettings } from './stage.ts';

/** Tokens from an OIDC provider other than the stack's own Cognito user pool. */
export type ExternalJwtProvider = { issuer: string; audience: string[] };

export type ApiStackProps = StackProps & {
  stage: StageSettings;
  table: ITable;
  /** When set, no user pool is created and the authorizer trusts this issuer and audience. */
  jwtProvider?: ExternalJwtProvider;
  /** The web console's base URL, for links in notification emails. */
  appBaseUrl: string;
  /** The sender address of notification emails (a verified SES identity). */
  emailFrom: string;
  /** The SES identity of `emailFrom` (the data stack's); without it the stack refers to it by name. */
  emailIdentity?: IEmailIdentity;
};

export const EXPIRY_SCHEDULE_MINUTES = 5;

/** Retries of a failing outbox batch before it goes to the DLQ (each send also retries in the SDK). */
export const NOTIFICATION_RETRY_ATTEMPTS = 8;

/** The route the stage throttles harder than the rest (see StageSettings.createDealThrottle). */
export const CREATE_DEAL_ROUTE_KEY = 'POST /v1/deals';

const routeKey = (route: RouteDefinition): string => `${route.method} ${route.path}`;

/** GET routes only read; every other method may write (idempotency records included). */
export const tableAccessFor = (route: RouteDefinition): TableAccess =>
  route.method === 'GET' ? 'readOnly' : 'readWrite';

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  /** The stack's own user pool and app client; undefined when an external OIDC provider is used. */
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;
  /** One function per route, keyed by `METHOD /path`. */
  readonly routeFunctions = new Map<string, AppFunction>();
  /** The scheduled expiry job's function (its errors are alarmed). */
  expiryFunction?: AppFunction;
  /** The API Gateway route of each entry of the route table, keyed by `METHOD /path`. */
  readonly routes = new Map<string, HttpRoute>();

  /** Alarms (to an SNS topic) and the API's access log; set by `addAlarms`. */
  monitoring?: ApiMonitoring;

  /** The outbox consumer, the domain event bus and the consumer's dead-letter queue. */
  notifications?: { function: AppFunction; bus: EventBus; dlq: Queue };

  private readonly settings: StageSettings;
  private readonly table: ITable;
  private readonly cursorSecret: Secret;
  /** This stage's values of the variables functions/environment.ts declares (each function gets its own). */
  private readonly environmentValues: Partial<EnvValues>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    this.settings = props.stage;
    this.table = props.table;

    let issuer: string;
    let audience: string[];
    if (props.jwtProvider) {
      ({ issuer, audience } = props.jwtProvider);
    } else {
      this.userPool = new UserPool(this, 'UserPool', {
        selfSignUpEnabled: false,
        signInAliases: { email: true },
        autoVerify: { email: true },
        standardAttributes: { email: { required: true, mutable: true } },
        accountRecovery: AccountRecovery.EMAIL_ONLY,
        passwordPolicy: { minLength: 12 },
        deletionProtection: props.stage.protectData,
        removalPolicy: props.stage.removalPolicy,
      });
      this.userPoolClient = this.userPool.addClient('ApiClient', {
        authFlows: { userPassword: true, userSrp: true },
        generateSecret: false,
        preventUserExistenceErrors: true,
      });
      issuer = this.userPool.userPoolProviderUrl;
      audience = [this.userPoolClient.userPoolClientId];
    }
    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', issuer, { jwtAudience: audience });

    // Signs list cursors (tamper-evident pagination). See docs/decisions.md for why it is an env var.
    this.cursorSecret = new Secret(this, 'CursorSecret', {
      description: 'HMAC key that signs pagination cursors of the co-sell API',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.stage.removalPolicy,
    });
    this.environmentValues = {
      TABLE_NAME: this.table.tableName,
      CURSOR_SECRET: this.cursorSecret.secretValue.unsafeUnwrap(),
      EMAIL_FROM: props.emailFrom,
      APP_BASE_URL: props.appBaseUrl,
    };

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-http`,
      description: 'Co-sell referrals API',
      createDefaultStage: false,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: props.stage.throttle,
    });

    for (const route of ROUTES) this.addRoute(route);
    this.throttleCreateDeal();

    this.addExpirySchedule();
    this.addNotificationConsumer(props);
    this.addAlarms();

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'JwtIssuer', { value: issuer });
    if (this.userPool && this.userPoolClient) {
      new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    }
  }

  /**
   * A function with the app's defaults, the stage's log retention and access to the table.
   * Every function of this stack (routes, and later the scheduled and stream consumers) is made here.
   */
  addFunction(
    definition: FunctionDefinition,
    access: TableAccess,
    options: Partial<Omit<AppFunctionProps, 'definition'>> = {},
  ): AppFunction {
    const fn = new AppFunction(this, definition.id, {
      logRetention: this.settings.logRetention,
      logRemovalPolicy: this.settings.removalPolicy,
      timeout: this.settings.defaultTimeout,
      environmentValues: this.environmentValues,
      ...options,
      definition,
    });
    return fn.bindTable(this.table, access);
  }

  private addRoute(route: RouteDefinition): void {
    const fn = this.addFunction(routeFunction(route), tableAccessFor(route));
    this.routeFunctions.set(routeKey(route), fn);
    const httpRoute = new HttpRoute(this, `${routeFunctionName(route)}Route`, {
      httpApi: this.api,
      routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
      integration: new HttpLambdaIntegration(`${routeFunctionName(route)}Integration`, fn.function),
      ...(route.auth === 'jwt' ? { authorizer: this.authorizer } : {}),
    });
    this.routes.set(routeKey(route), httpRoute);
  }

  /** Creating a deal writes several items in one transaction: give it its own, lower limit. */
  private throttleCreateDeal(): void {
    const route = this.routes.get(CREATE_DEAL_ROUTE_KEY);
    if (!route) return;
    const { rateLimit, burstLimit } = this.settings.createDealThrottle;
    // RouteSettings is a free-form map in the L1, so its keys are written as CloudFormation spells them.
    (this.stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', {
      [CREATE_DEAL_ROUTE_KEY]: { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit },
    });
    // The stage may only name a route key that already exists.
    this.stage.node.addDependency(route);
  }

  // ---- Extension points for later issues. Each stays empty until its issue builds it. ----

  /**
   * Expiry job (design §3, §7): an EventBridge Scheduler schedule every 5 minutes invokes the
   * function. A failed run is retried twice while still fresh; a run that finds nothing due costs one
   * Query, and runs are safe to overlap, so the schedule needs no locking.
   */
  protected addExpirySchedule(): void {
    this.expiryFunction = this.addFunction(EXPIRY_FUNCTION, 'readWrite', { timeout: Duration.minutes(4) });
    new Schedule(this, 'ExpirySchedule', {
      description: 'Remind and expire unanswered co-sell invitations',
      schedule: ScheduleExpression.rate(Duration.minutes(EXPIRY_SCHEDULE_MINUTES)),
      target: new LambdaInvoke(this.expiryFunction.function, {
        retryAttempts: 2,
        maxEventAge: Duration.minutes(4),
      }),
    });
  }

  /**
   * Notification consumer (design §7): `this.addFunction(NOTIFICATION_FUNCTION, 'readWrite')` with a `DynamoEventSource` on the table's
   * stream (filtered to outbox items, `reportBatchItemFailures`, bisect on error, an SQS on-failure
   * DLQ), `EMAIL_FROM` / `APP_BASE_URL` from `props`, and `grantSendEmail` on an SES identity of the
   * data stack.
   */
  protected addNotificationConsumer(props: ApiStackProps): void {
    const bus = new EventBus(this, 'DomainEvents', {
      eventBusName: `${this.stackName}-domain-events`,
      description: 'Co-sell domain events (source co-sell.referrals) for CRM connectors and webhooks',
    });
    // Batches that still fail after the retries land here (their shard and sequence range, to replay
    // from the stream within its 24 h retention); the monitoring construct alarms on its depth.
    const dlq = new Queue(this, 'NotificationsDlq', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const consumer = this.addFunction(NOTIFICATION_FUNCTION, 'readWrite', {
      timeout: Duration.seconds(60),
      environmentValues: { ...this.environmentValues, EVENT_BUS_NAME: bus.eventBusName },
    });
    const identity =
      props.emailIdentity ?? EmailIdentity.fromEmailIdentityName(this, 'EmailIdentity', props.emailFrom);
    identity.grantSendEmail(consumer.function);
    bus.grantPutEventsTo(consumer.function);
    consumer.function.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { type: { S: FilterRule.isEqual(ENTITY.outbox) } } },
          }),
        ],
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: NOTIFICATION_RETRY_ATTEMPTS,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(dlq),
      }),
    );
    this.notifications = { function: consumer, bus, dlq };
  }

  /**
   * Alarms: function errors and throttles, API 5xx rate and latency, the DLQ's depth and the
   * stream consumer's iterator age, sent to an SNS topic.
   */
  protected addAlarms(): void {
    this.monitoring = new ApiMonitoring(this, 'Monitoring', {
      stage: this.stage,
      table: this.table,
      ...(this.expiryFunction ? { expiryFunction: this.expiryFunction } : {}),
      ...(this.notifications ? { streamConsumers: [this.notifications.function] } : {}),
      logRetention: this.settings.logRetention,
      logRemovalPolicy: this.settings.removalPolicy,
    });
  }
}
