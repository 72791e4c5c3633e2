/**
 * The stateless stack: one function per route of the route table, the HTTP API with its JWT
 * authorizer, and (unless another OIDC provider is configured) the Cognito user pool that issues
 * the tokens; the expiry schedule, the notification stream consumer and the alarms.
 */
import { Aws, CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
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
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AccountRecovery,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENTITY } from '#functions/adapters/dynamo/keys.ts';
import { inspectsObjects, routeBucketAccess } from '#functions/bucket-access.ts';
import {
  type EnvValues,
  EXPIRY_FUNCTION,
  type FunctionDefinition,
  NOTIFICATION_FUNCTION,
  routeFunction,
  WEBHOOK_DELIVERY_FUNCTION,
  WEBHOOK_FAN_OUT_FUNCTION,
} from '#functions/environment.ts';
import { ROUTES, type RouteDefinition, routeFunctionName, routeKey } from '#functions/http/routes.ts';
import { METRICS_NAMESPACE } from '#functions/observability.ts';
import {
  EXPIRY_JOB_TABLE_ACCESS,
  NOTIFICATION_CONSUMER_TABLE_ACCESS,
  routeTableAccess,
  type TableAccess,
  WEBHOOK_DELIVERY_TABLE_ACCESS,
  WEBHOOK_FAN_OUT_TABLE_ACCESS,
} from '#functions/table-access.ts';
import { ApiMonitoring, SES_CONFIGURATION_SET_DIMENSION } from '../constructs/api-monitoring.ts';
import { AppFunction, type AppFunctionProps } from '../constructs/app-function.ts';
import {
  CONSOLE_CALLBACK_PATH,
  CONSOLE_SCOPES,
  CONSOLE_SIGNED_OUT_PATH,
  type ConsoleConfig,
  consoleConfig,
} from '../constructs/console-config.ts';
import { ConsoleHosting } from '../constructs/console-hosting.ts';
import { attachmentsBucketName } from './data-stack.ts';
import type { StageSettings } from './stage.ts';

/** Tokens from an OIDC provider other than the stack's own Cognito user pool. */
export type ExternalJwtProvider = { issuer: string; audience: string[] };

export type ApiStackProps = StackProps & {
  stage: StageSettings;
  table: ITable;
  /** When set, no user pool is created and the authorizer trusts this issuer and audience. */
  jwtProvider?: ExternalJwtProvider;
  /**
   * Serve the web console at this host (its ACM certificate in us-east-1) instead of the
   * distribution's own `*.cloudfront.net` name. Either way the console's URL is what emails link to
   * and where Cognito returns after sign-in and sign-out.
   */
  consoleDomain?: { host: string; certificateArn: string };
  /** The sender address of notification emails (a verified SES identity: the address or its domain). */
  emailFrom: string;
  /** Subscribed to the alarm topic by email. */
  alarmEmail?: string;
};

/**
 * The export the Console stack imports the console bucket's name by. Named, not generated, so the
 * bucket's ARN in the deployment role's policy reads the same in every synthesis (infra/nag.ts
 * acknowledges that exact resource).
 */
export const consoleBucketExport = (apiStackName: string): string => `${apiStackName}-ConsoleBucketName`;

export const EXPIRY_SCHEDULE_MINUTES = 5;

/** Retries of a failing outbox batch before it goes to the DLQ (each send also retries in the SDK). */
export const NOTIFICATION_RETRY_ATTEMPTS = 8;

/** The webhook delivery schedule's period; each run sweeps for `WEBHOOK_SWEEP_SECONDS` of it. */
export const WEBHOOK_SCHEDULE_MINUTES = 1;
export const WEBHOOK_SWEEP_SECONDS = 50;

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  /** The stack's own user pool and app client; undefined when an external OIDC provider is used. */
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;
  /** The Cognito hosted UI the web console signs users in through (authorization code with PKCE). */
  readonly userPoolDomain?: UserPoolDomain;
  /** The console's bucket and the distribution that serves it and the API (one origin). */
  readonly console: ConsoleHosting;
  /** The console's own domain, when it has one (else it is the distribution's `*.cloudfront.net`). */
  readonly consoleDomain?: { host: string; certificateArn: string };
  /** What the console reads at run time (`/config.json`), written next to its build by the Console stack. */
  readonly consoleConfig: ConsoleConfig;
  /** One function per route, keyed by `METHOD /path`. */
  readonly routeFunctions = new Map<string, AppFunction>();
  /** The scheduled expiry job's function (its errors are alarmed). */
  expiryFunction?: AppFunction;
  /**
   * Where failed expiry runs land: runs the scheduler could not deliver, and runs the function
   * failed after its retries (its asynchronous on-failure destination). Both are alarmed.
   */
  expiryDlqs?: { schedule: Queue; invocations: Queue };
  /** The API Gateway route of each entry of the route table, keyed by `METHOD /path`. */
  readonly routes = new Map<string, HttpRoute>();

  /** Alarms (to an SNS topic) and the API's access log; set by `addAlarms`. */
  monitoring?: ApiMonitoring;

  /**
   * Webhooks: the fan-out consumer of the stream and its DLQ, the scheduled delivery function and
   * the DLQs of its schedule and of its failed runs.
   */
  webhooks?: {
    fanOut: AppFunction;
    fanOutDlq: Queue;
    delivery: AppFunction;
    dlqs: { schedule: Queue; invocations: Queue };
  };

  /** The outbox consumer, the domain event bus, the consumer's dead-letter queue and the SES configuration set. */
  notifications?: { function: AppFunction; bus: EventBus; dlq: Queue; configurationSet: ConfigurationSet };

  private readonly settings: StageSettings;
  private readonly table: ITable;
  private readonly attachments: IBucket;
  private readonly cursorSecret: Secret;
  /** This stage's values of the variables functions/environment.ts declares (each function gets its own). */
  private readonly environmentValues: Partial<EnvValues>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    this.settings = props.stage;
    this.table = props.table;
    if (props.consoleDomain) this.consoleDomain = props.consoleDomain;

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-http`,
      description: 'Co-sell referrals API',
      createDefaultStage: false,
    });
    // The data stack's bucket, by its name: only the functions functions/bucket-access.ts names reach it.
    this.attachments = Bucket.fromBucketName(this, 'Attachments', attachmentsBucketName(props.stage.name));

    let issuer: string;
    let audience: string[] = [];
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
      // The hosted UI's prefix must be unique in the region across all accounts: stage and account id.
      this.userPoolDomain = this.userPool.addDomain('HostedUi', {
        cognitoDomain: { domainPrefix: Fn.join('-', ['co-sell', props.stage.name, Aws.ACCOUNT_ID]) },
      });
      issuer = this.userPool.userPoolProviderUrl;
    }

    // The console and the API behind one distribution; its URL is where sign-in returns and where
    // every email links, so the app client and the functions are made after it.
    this.console = new ConsoleHosting(this, 'Console', {
      api: this.api,
      removalPolicy: props.stage.removalPolicy,
      signInOrigins: [this.userPoolDomain ? this.userPoolDomain.baseUrl() : new URL(issuer).origin],
      ...(props.consoleDomain
        ? {
            customDomain: {
              host: props.consoleDomain.host,
              certificate: Certificate.fromCertificateArn(
                this,
                'ConsoleCertificate',
                props.consoleDomain.certificateArn,
              ),
            },
          }
        : {}),
    });
    const consoleUrl = this.console.url;

    if (this.userPool && this.userPoolDomain) {
      // The web console is a public client: authorization code flow (the console sends PKCE), no
      // implicit flow, no client secret. Password auth (for the CLI) only where no real mail goes out.
      this.userPoolClient = this.userPool.addClient('ApiClient', {
        authFlows: { userSrp: true, userPassword: !props.stage.sendsRealMail },
        oAuth: {
          flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
          scopes: CONSOLE_SCOPES.map((scope) => OAuthScope.custom(scope)),
          callbackUrls: [`${consoleUrl}${CONSOLE_CALLBACK_PATH}`],
          logoutUrls: [`${consoleUrl}${CONSOLE_SIGNED_OUT_PATH}`],
        },
        generateSecret: false,
        preventUserExistenceErrors: true,
      });
      audience = [this.userPoolClient.userPoolClientId];
    }
    this.consoleConfig = consoleConfig({
      consoleUrl,
      issuer,
      clientId: audience[0] ?? '',
      ...(this.userPoolDomain ? { hostedUiUrl: this.userPoolDomain.baseUrl() } : {}),
    });
    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', issuer, { jwtAudience: audience });

    // Signs list cursors (tamper-evident pagination). Why an env var:
    // docs/decisions/0005-cursor-secret-as-environment-variable.md.
    this.cursorSecret = new Secret(this, 'CursorSecret', {
      description: 'HMAC key that signs pagination cursors of the co-sell API',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.stage.removalPolicy,
    });
    this.environmentValues = {
      TABLE_NAME: this.table.tableName,
      CURSOR_SECRET: this.cursorSecret.secretValue.unsafeUnwrap(),
      EMAIL_FROM: props.emailFrom,
      APP_BASE_URL: consoleUrl,
      // Business metrics of dev and prod never mix: each stage writes its own namespace.
      POWERTOOLS_METRICS_NAMESPACE: `${METRICS_NAMESPACE}/${props.stage.name}`,
      ATTACHMENTS_BUCKET: this.attachments.bucketName,
      // GuardDuty Malware Protection for S3 is not part of the stack yet
      // (docs/decisions/0053-malware-scanning-guardduty.md).
      ATTACHMENT_SCAN: 'none',
    };

    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: props.stage.throttle,
    });

    for (const route of ROUTES) this.addRoute(route);
    this.throttleRoutes();

    this.addExpirySchedule();
    this.addNotificationConsumer(props);
    this.addWebhooks(props);
    this.addAlarms(props);

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'JwtIssuer', { value: issuer });
    new CfnOutput(this, 'ConsoleUrl', {
      value: consoleUrl,
      description: 'The web console (and the API under /v1): emails link here',
    });
    new CfnOutput(this, 'ConsoleBucketName', {
      value: this.console.bucket.bucketName,
      description: "The console's files (written by the Console stack)",
      exportName: consoleBucketExport(this.stackName),
    });
    new CfnOutput(this, 'ConsoleDistributionDomain', {
      value: this.console.distribution.distributionDomainName,
      description: 'Point the custom console domain (CNAME or alias record) here',
    });
    if (this.userPool && this.userPoolClient) {
      new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    }
    if (this.userPoolDomain) {
      new CfnOutput(this, 'HostedUiUrl', {
        value: this.userPoolDomain.baseUrl(),
        description: 'Cognito hosted UI: the web console signs in here (authorization code with PKCE)',
      });
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
    const fn = this.addFunction(routeFunction(route), routeTableAccess(route));
    this.grantBucket(fn, route);
    this.routeFunctions.set(routeKey(route), fn);
    const httpRoute = new HttpRoute(this, `${routeFunctionName(route)}Route`, {
      httpApi: this.api,
      routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
      integration: new HttpLambdaIntegration(`${routeFunctionName(route)}Integration`, fn.function),
      ...(route.auth === 'jwt' ? { authorizer: this.authorizer } : {}),
    });
    this.routes.set(routeKey(route), httpRoute);
  }

  /** Exactly the route's bucket actions on the attachments' objects (none for most routes). */
  private grantBucket(fn: AppFunction, route: RouteDefinition): void {
    const actions = routeBucketAccess(route);
    if (actions.length === 0) return;
    fn.allow(
      new PolicyStatement({ actions: [...actions], resources: [this.attachments.arnForObjects('*')] }),
    );
    if (inspectsObjects(actions)) {
      fn.allow(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.attachments.bucketArn] }));
    }
  }

  /**
   * Per-route limits below the stage's, for each route whose route-table entry names a throttle
   * class: creating a deal writes several items in one transaction, and the anonymous routes
   * (anyone on the internet) must not eat into what the members' routes get.
   */
  private throttleRoutes(): void {
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const definition of ROUTES) {
      if (!definition.throttle) continue;
      const key = routeKey(definition);
      const route = this.routes.get(key);
      if (!route) continue;
      const { rateLimit, burstLimit } = this.settings.routeThrottles[definition.throttle];
      routeSettings[key] = { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit };
      // The stage may only name a route key that already exists: without this, CloudFormation may
      // create the stage first and the deployment fails.
      this.stage.node.addDependency(route);
    }
    // RouteSettings is a free-form map in the L1, so its keys are written as CloudFormation spells them.
    (this.stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', routeSettings);
  }

  /**
   * Expiry job (docs/domain.md §3, §7): an EventBridge Scheduler schedule every 5 minutes invokes the
   * function. A failed run is retried twice while still fresh; a run that finds nothing due costs one
   * Query, and runs are safe to overlap, so the schedule needs no locking.
   */
  protected addExpirySchedule(): void {
    this.expiryFunction = this.addFunction(EXPIRY_FUNCTION, EXPIRY_JOB_TABLE_ACCESS, {
      timeout: Duration.minutes(4),
    });
    const dlq = (id: string) =>
      new Queue(this, id, {
        retentionPeriod: Duration.days(14),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
    // The scheduler invokes asynchronously: a run it cannot hand to Lambda lands in one queue, a run
    // Lambda accepted but that failed (after its own retries, or too old to retry) in the other.
    const schedule = dlq('ExpiryScheduleDlq');
    const invocations = dlq('ExpiryFailuresDlq');
    this.expiryFunction.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.minutes(EXPIRY_SCHEDULE_MINUTES * 2),
      onFailure: new SqsDestination(invocations),
    });
    new Schedule(this, 'ExpirySchedule', {
      description: 'Remind and expire unanswered co-sell invitations',
      schedule: ScheduleExpression.rate(Duration.minutes(EXPIRY_SCHEDULE_MINUTES)),
      target: new LambdaInvoke(this.expiryFunction.function, {
        retryAttempts: 2,
        maxEventAge: Duration.minutes(4),
        deadLetterQueue: schedule,
      }),
    });
    this.expiryDlqs = { schedule, invocations };
  }

  /**
   * Notification consumer (docs/domain.md §7): a `DynamoEventSource` on the table's stream (filtered to outbox
   * items, `reportBatchItemFailures`, bisect on error, an SQS on-failure DLQ), sending through an SES
   * configuration set whose bounces and complaints feed the account's suppression list and alarms.
   * The sender's identity is named by its ARN, built from `emailFrom`, never imported from the data
   * stack: a cross-stack export could not change while imported, so a new sender would block deploys.
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
    const configurationSet = new ConfigurationSet(this, 'EmailConfigurationSet', {
      configurationSetName: `${this.stackName}-email`,
      // Addresses that bounce hard or complain go to the account's suppression list: SES refuses
      // them from then on instead of hurting the account's reputation again.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    configurationSet.addEventDestination('CloudWatch', {
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
      ],
      destination: EventDestination.cloudWatchDimensions([
        {
          name: SES_CONFIGURATION_SET_DIMENSION,
          source: CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: 'none',
        },
      ]),
    });
    const consumer = this.addFunction(NOTIFICATION_FUNCTION, NOTIFICATION_CONSUMER_TABLE_ACCESS, {
      timeout: Duration.seconds(60),
      environmentValues: {
        ...this.environmentValues,
        EVENT_BUS_NAME: bus.eventBusName,
        SES_CONFIGURATION_SET: configurationSet.configurationSetName,
      },
    });
    this.allowSending(consumer, props.emailFrom, configurationSet.configurationSetName);
    bus.grantPutEventsTo(consumer.function);
    consumer.function.addEventSource(this.outboxInserts(10, dlq));
    this.notifications = { function: consumer, bus, dlq, configurationSet };
  }

  /**
   * The table's stream as an outbox consumer reads it: only inserted outbox items (the delivery
   * marks beside them are not events), failed records retried, bisected and then parked in `dlq`.
   */
  private outboxInserts(batchSize: number, dlq: IQueue): DynamoEventSource {
    return new DynamoEventSource(this.table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize,
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
    });
  }

  /** SES authorizes a send against the verified identity (the address, or its whole domain) and the configuration set. */
  private allowSending(fn: AppFunction, emailFrom: string, configurationSetName: string): void {
    const domain = emailFrom.slice(emailFrom.lastIndexOf('@') + 1);
    fn.allow(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          this.formatArn({ service: 'ses', resource: 'identity', resourceName: emailFrom }),
          this.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
          this.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: configurationSetName,
          }),
        ],
      }),
    );
  }

  /**
   * Webhooks (docs/data-model.md "Webhooks"): a second consumer of the table's stream (same outbox
   * filter, its own event source mapping, retries and DLQ, so it and the email consumer never hold
   * each other back) queues deliveries; an EventBridge Scheduler schedule invokes the delivery
   * function every minute for a 50-second sweep (new deliveries leave within seconds, the first
   * retry within a minute). Runs may overlap: each attempt is claimed by a conditional write. The
   * delivery function sends to receivers on the internet (no VPC) and emails org admins when an
   * endpoint is disabled.
   */
  protected addWebhooks(props: ApiStackProps): void {
    const queue = (id: string) =>
      new Queue(this, id, {
        retentionPeriod: Duration.days(14),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
    const fanOut = this.addFunction(WEBHOOK_FAN_OUT_FUNCTION, WEBHOOK_FAN_OUT_TABLE_ACCESS, {
      timeout: Duration.seconds(30),
    });
    const fanOutDlq = queue('WebhookFanOutDlq');
    fanOut.function.addEventSource(this.outboxInserts(25, fanOutDlq));

    const delivery = this.addFunction(WEBHOOK_DELIVERY_FUNCTION, WEBHOOK_DELIVERY_TABLE_ACCESS, {
      // The sweep, then up to 10 s for the last attempts it started, and a margin.
      timeout: Duration.seconds(WEBHOOK_SWEEP_SECONDS + 25),
      // It mostly waits on receivers and runs most of every minute: a small size keeps it cheap.
      memorySize: 256,
      ...(this.notifications
        ? {
            environmentValues: {
              ...this.environmentValues,
              SES_CONFIGURATION_SET: this.notifications.configurationSet.configurationSetName,
            },
          }
        : {}),
    });
    if (this.notifications) {
      this.allowSending(delivery, props.emailFrom, this.notifications.configurationSet.configurationSetName);
    }
    const schedule = queue('WebhookScheduleDlq');
    const invocations = queue('WebhookFailuresDlq');
    // A missed run is not retried: the next one, a minute later, finds the same due deliveries.
    delivery.function.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.minutes(2),
      onFailure: new SqsDestination(invocations),
    });
    new Schedule(this, 'WebhookSchedule', {
      description: 'Send due webhook deliveries and retries',
      schedule: ScheduleExpression.rate(Duration.minutes(WEBHOOK_SCHEDULE_MINUTES)),
      target: new LambdaInvoke(delivery.function, {
        input: ScheduleTargetInput.fromObject({ sweepSeconds: WEBHOOK_SWEEP_SECONDS }),
        retryAttempts: 0,
        maxEventAge: Duration.minutes(2),
        deadLetterQueue: schedule,
      }),
    });
    this.webhooks = { fanOut, fanOutDlq, delivery, dlqs: { schedule, invocations } };
  }

  /**
   * Alarms: function errors and throttles, API 5xx rate and latency, the DLQ's depth and the
   * stream consumer's iterator age, sent to an SNS topic.
   */
  protected addAlarms(props: ApiStackProps): void {
    this.monitoring = new ApiMonitoring(this, 'Monitoring', {
      stage: this.stage,
      table: this.table,
      ...(this.expiryFunction ? { expiryFunction: this.expiryFunction } : {}),
      streamConsumers: [
        ...(this.notifications ? [this.notifications.function] : []),
        ...(this.webhooks ? [this.webhooks.fanOut] : []),
      ],
      ...(this.notifications ? { emailConfigurationSet: this.notifications.configurationSet } : {}),
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
      logRetention: this.settings.logRetention,
      logRemovalPolicy: this.settings.removalPolicy,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Every alarm and its recovery is published here; subscribe on-call to it',
    });
  }
}
