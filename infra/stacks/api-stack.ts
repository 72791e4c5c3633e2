/**
 * The stateless stack, composed of constructs with one job each: who may call (UserDirectory), the
 * console and the API behind one distribution (ConsoleHosting), the HTTP API's routes and their
 * functions (HttpRoutes), the expiry job, notifications, webhook delivery, and the alarms
 * (ApiMonitoring). The stack itself holds what they share: the HTTP API and its stage, the cursor
 * secret, and each stage's values of the functions' declared environment.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { EnvValues, SecretsKeyUse } from '#functions/environment.ts';
import { ORIGIN_HEADER } from '#functions/http/origin-check.ts';
import { METRICS_NAMESPACE } from '#functions/observability.ts';
import { ApiAuthorizer } from '../constructs/api-authorizer.ts';
import { ApiMonitoring } from '../constructs/api-monitoring.ts';
import { AppFunction } from '../constructs/app-function.ts';
import { AttachmentsCors } from '../constructs/attachments-cors.ts';
import { type ConsoleConfig, consoleConfig } from '../constructs/console-config.ts';
import { ConsoleHosting } from '../constructs/console-hosting.ts';
import { DealExports } from '../constructs/deal-exports.ts';
import { ExpiryJob } from '../constructs/expiry-job.ts';
import type { FunctionFactory } from '../constructs/function-factory.ts';
import { HttpRoutes } from '../constructs/http-routes.ts';
import { Notifications } from '../constructs/notifications.ts';
import { type ExternalJwtProvider, NO_USER_POOL, UserDirectory } from '../constructs/user-directory.ts';
import { WebhookDelivery } from '../constructs/webhook-delivery.ts';
import { attachmentsBucketName } from './data-stack.ts';
import type { StageSettings } from './stage.ts';

export type { ExternalJwtProvider } from '../constructs/user-directory.ts';

export type ApiStackProps = StackProps & {
  stage: StageSettings;
  table: ITable;
  /** The Data stack's key that seals webhook signing secrets. */
  webhookSecretsKey: IKey;
  /** The user pool of the Users stack; absent when the authorizer trusts another provider. */
  userPool?: UserPool;
  /** When set, there is no user pool and the authorizer trusts this issuer and audience. */
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
  /** The web ACL (scope CLOUDFRONT, from the Edge stack) in front of the distribution. */
  webAclArn: string;
};

/**
 * The export the Console stack imports the console bucket's name by. Named, not generated, so the
 * bucket's ARN in the deployment role's policy reads the same in every synthesis (infra/nag.ts
 * acknowledges that exact resource).
 */
export const consoleBucketExport = (apiStackName: string): string => `${apiStackName}-ConsoleBucketName`;

/**
 * What a function may do with the webhook secrets key: only its declared action (functions/
 * environment.ts `secretsKey`), and only with an encryption context naming an endpoint, as the
 * sealer always gives one.
 */
export const secretsKeyStatement = (use: SecretsKeyUse, key: IKey): PolicyStatement =>
  new PolicyStatement({
    actions: [use === 'encrypt' ? 'kms:Encrypt' : 'kms:Decrypt'],
    resources: [key.keyArn],
    conditions: {
      Null: { 'kms:EncryptionContext:orgId': 'false', 'kms:EncryptionContext:webhookId': 'false' },
    },
  });

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly users: UserDirectory;
  /** The console's bucket and the distribution that serves it and the API (one origin). */
  readonly console: ConsoleHosting;
  /** The console's own domain, when it has one (else it is the distribution's `*.cloudfront.net`). */
  readonly consoleDomain?: { host: string; certificateArn: string };
  /** What the console reads at run time (`/config.json`), written next to its build by the Console stack. */
  readonly consoleConfig: ConsoleConfig;
  /** Verifies every member route's bearer token: people's and API clients'. */
  readonly authorizer: ApiAuthorizer;
  readonly http: HttpRoutes;
  /** The attachments bucket's CORS rule: exactly the console's origin. */
  readonly attachmentsCors: AttachmentsCors;
  readonly expiry: ExpiryJob;
  readonly exports: DealExports;
  readonly notifications: Notifications;
  readonly webhooks: WebhookDelivery;
  readonly monitoring: ApiMonitoring;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const settings = props.stage;
    if (props.consoleDomain) this.consoleDomain = props.consoleDomain;

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-http`,
      description: 'Co-sell referrals API',
      createDefaultStage: false,
    });
    // The data stack's bucket, by its name: only the functions functions/bucket-access.ts names reach it.
    const attachments: IBucket = Bucket.fromBucketName(
      this,
      'Attachments',
      attachmentsBucketName(settings.name),
    );

    this.users = new UserDirectory(this, 'Users', {
      stageName: settings.name,
      ...(props.jwtProvider ? { jwtProvider: props.jwtProvider } : {}),
      ...(props.userPool ? { userPool: props.userPool } : {}),
      allowPasswordAuth: !settings.sendsRealMail,
    });

    // CloudFront adds this to every request it forwards to the API, and the API refuses requests
    // without it: the execute-api host cannot bypass the distribution (and its web ACL).
    const originSecret = new Secret(this, 'OriginVerifySecret', {
      description: 'The header value the console distribution adds to every request it sends the co-sell API',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: settings.removalPolicy,
    });
    const originVerify = originSecret.secretValue.unsafeUnwrap();

    // The console and the API behind one distribution; its URL is where sign-in returns and where
    // every email links, so the app client and the functions are made after it.
    this.console = new ConsoleHosting(this, 'Console', {
      api: this.api,
      originHeader: { name: ORIGIN_HEADER, value: originVerify },
      webAclArn: props.webAclArn,
      removalPolicy: settings.removalPolicy,
      signInOrigins: [
        this.users.hostedUi ? this.users.hostedUi.baseUrl() : new URL(this.users.issuer).origin,
      ],
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
    this.users.addConsoleClient(consoleUrl);
    // Browsers upload and download attachments straight from S3: only the console's pages may read
    // the bucket's answers.
    this.attachmentsCors = new AttachmentsCors(this, 'AttachmentsCors', {
      bucket: attachments,
      consoleOrigin: consoleUrl,
    });
    this.consoleConfig = consoleConfig({
      consoleUrl,
      issuer: this.users.issuer,
      clientId: this.users.clientId,
      ...(this.users.hostedUi ? { hostedUiUrl: this.users.hostedUi.baseUrl() } : {}),
    });

    // Signs list cursors (tamper-evident pagination). The functions read it at run time, so a
    // rotation reaches them without a deploy: docs/decisions/0108-cursor-keys-read-at-run-time.md.
    const cursorSecret = new Secret(this, 'CursorSecret', {
      description: 'HMAC key that signs pagination cursors of the co-sell API',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: settings.removalPolicy,
    });
    const environmentValues: { -readonly [K in keyof EnvValues]?: EnvValues[K] } = {
      TABLE_NAME: props.table.tableName,
      CURSOR_SECRET_ID: cursorSecret.secretArn,
      ORIGIN_VERIFY: originVerify,
      EMAIL_FROM: props.emailFrom,
      APP_BASE_URL: consoleUrl,
      // Business metrics of dev and prod never mix: each stage writes its own namespace.
      POWERTOOLS_METRICS_NAMESPACE: `${METRICS_NAMESPACE}/${settings.name}`,
      ATTACHMENTS_BUCKET: attachments.bucketName,
      // Where the Data stack scans the bucket (StageSettings.malwareScanning), a file is handed out
      // only once GuardDuty tagged it clean.
      ATTACHMENT_SCAN: settings.malwareScanning ? 'guardduty' : 'none',
      USER_POOL_ID: this.users.userPool?.userPoolId ?? NO_USER_POOL,
      TOKEN_URL: this.users.tokenUrl,
      JWT_ISSUER: this.users.issuer,
      JWT_AUDIENCE: this.users.audiences,
      JWKS_URL: this.users.jwksUrl,
      WEBHOOK_SECRETS_KEY_ARN: props.webhookSecretsKey.keyArn,
    };
    const functions: FunctionFactory = (scope, definition, access, options = {}) => {
      const fn = new AppFunction(scope, definition.id, {
        logRetention: settings.logRetention,
        logRemovalPolicy: settings.removalPolicy,
        timeout: settings.defaultTimeout,
        environmentValues,
        ...options,
        definition,
      }).bindTable(props.table, access);
      // Whoever is told the cursor secret's name may read it (its current and previous versions).
      if (definition.environment.includes('CURSOR_SECRET_ID')) {
        fn.allow(
          new PolicyStatement({
            actions: ['secretsmanager:GetSecretValue'],
            resources: [cursorSecret.secretArn],
          }),
        );
      }
      if (definition.secretsKey)
        fn.allow(secretsKeyStatement(definition.secretsKey, props.webhookSecretsKey));
      return fn;
    };

    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: settings.throttle,
    });
    this.authorizer = new ApiAuthorizer(this, 'Authorizer', { functions });
    // Made before the routes: the routes that start exports are told its name.
    this.exports = new DealExports(this, 'Exports', { functions, attachments });
    environmentValues.EXPORT_FUNCTION_NAME = this.exports.function.function.functionName;
    this.http = new HttpRoutes(this, 'Http', {
      api: this.api,
      stage: this.stage,
      authorizer: this.authorizer.authorizer,
      attachments,
      ...(this.users.userPool ? { userPool: this.users.userPool } : {}),
      settings,
      functions,
      exports: this.exports,
    });
    this.expiry = new ExpiryJob(this, 'Expiry', { functions });
    this.notifications = new Notifications(this, 'Notifications', {
      table: props.table,
      emailFrom: props.emailFrom,
      environmentValues,
      functions,
    });
    this.webhooks = new WebhookDelivery(this, 'Webhooks', {
      table: props.table,
      functions,
      environmentValues,
      email: {
        from: props.emailFrom,
        configurationSetName: this.notifications.configurationSet.configurationSetName,
      },
    });
    this.monitoring = new ApiMonitoring(this, 'Monitoring', {
      stage: this.stage,
      table: props.table,
      expiryFunction: this.expiry.function,
      streamConsumers: [this.notifications.function, this.webhooks.fanOut],
      emailConfigurationSet: this.notifications.configurationSet,
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
    });

    // The API's only way in is the distribution (its execute-api host refuses requests CloudFront did not send).
    new CfnOutput(this, 'ApiUrl', {
      value: `${consoleUrl}/`,
      description: 'Base URL of the HTTP API (the console distribution; routes under /v1)',
    });
    new CfnOutput(this, 'JwtIssuer', { value: this.users.issuer });
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
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Every alarm and its recovery is published here; subscribe on-call to it',
    });
    if (this.users.userPool && this.users.consoleClient) {
      new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: this.users.consoleClient.userPoolClientId });
    }
    if (this.users.hostedUi) {
      new CfnOutput(this, 'HostedUiUrl', {
        value: this.users.hostedUi.baseUrl(),
        description: 'Cognito hosted UI: the web console signs in here (authorization code with PKCE)',
      });
    }
  }

  /** The stack's own user pool; undefined when an external OIDC provider is used. */
  get userPool() {
    return this.users.userPool;
  }
}
