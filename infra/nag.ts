/**
 * cdk-nag (AwsSolutions pack) for the app's stacks, with every finding we accept acknowledged here,
 * on the narrowest construct and with its reason. cdk-nag 3 runs as a CDK validation plugin: any
 * unacknowledged finding (error or warning) fails synthesis. infra/app.ts applies it, so `cdk synth`
 * and `cdk deploy` stop on a new finding; test/infra/nag.test.ts runs it on the dev and prod
 * configurations, so a new resource with a new finding fails the tests until it is fixed or
 * acknowledged below.
 *
 * (cdk-nag 3 replaced `NagSuppressions.add…Suppressions` with CDK's own `Validations.of(x).acknowledge`;
 * each call below is one finding and one reason.)
 */
import { type App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import {
  EXPORT_PREFIX,
  httpFunctionBucketAccess,
  httpFunctionExportAccess,
} from '#functions/bucket-access.ts';
import { HTTP_FUNCTIONS } from '#functions/http/routes.ts';
import { AppFunction } from './constructs/app-function.ts';
import { DeadLetterQueue } from './constructs/dead-letter-queue.ts';
import { consoleBucketExport } from './stacks/api-stack.ts';
import type { CoSellStacks } from './stacks/co-sell-app.ts';

const acknowledge = (scope: IConstruct, rule: string, reason: string): void =>
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });

const acknowledgeFunction = (fn: AppFunction): void => {
  acknowledge(
    fn,
    'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'The AWS managed basic execution role only allows writing the function’s own logs; an inline copy would grant the same.',
  );
  acknowledge(
    fn,
    'IAM5[Resource::*]',
    'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords accept no resource other than "*".',
  );
  acknowledge(
    fn,
    'L1',
    'Pinned to nodejs22.x, the LTS the esbuild target (node22) and the test matrix use; moving to a newer runtime is a deliberate upgrade, not a default.',
  );
};

/** The console's bucket and its distribution (Api stack). */
const acknowledgeConsoleHosting = (stacks: CoSellStacks): void => {
  const { bucket, distribution } = stacks.api.console;
  acknowledge(
    bucket,
    'S1',
    "The bucket holds only the console's build output (the same static files for everyone, reproducible from the repository) and is read only by the distribution: its access log would list CloudFront fetching those files.",
  );
  acknowledge(
    distribution,
    'CFR3',
    "Every request that carries data goes to the API, whose HTTP API access log (ApiMonitoring) records it; the distribution's other requests fetch the console's static files.",
  );
  acknowledge(
    distribution,
    'CFR1',
    'Partner organizations work from any country; the product excludes none.',
  );
  if (!stacks.api.consoleDomain) {
    acknowledge(
      distribution,
      'CFR4',
      "Without a domain of its own (appBaseUrl + consoleCertificateArn) the distribution serves *.cloudfront.net with CloudFront's default certificate, whose minimum protocol CloudFront fixes; with one, it requires TLSv1.2_2021.",
    );
  }
};

const INVALIDATION_REASON =
  'cloudfront:CreateInvalidation and GetInvalidation as aws-s3-deployment grants them (CloudFront takes no narrower resource), to invalidate the console distribution after a deploy.';

/** The Lambda function aws-s3-deployment adds to copy the console's files (Console stack). */
const acknowledgeConsoleDeployment = (stacks: CoSellStacks): void => {
  const consoleStack = stacks.console;
  if (!consoleStack) return;
  const handlers = consoleStack.node.children.filter((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  // The stacks are pinned to a region, so CDK writes the partition as a literal.
  const { partition, account, region } = consoleStack;
  const bucketObjects = `arn:${partition}:s3:::${consoleBucketExport(stacks.api.stackName)}/*`;
  // With @aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy (cdk.json) the invalidation grant
  // is a policy of its own under the deployment that invalidates.
  acknowledge(consoleStack.deployments.entry, 'IAM5[Resource::*]', INVALIDATION_REASON);
  for (const handler of handlers) {
    acknowledge(
      handler,
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'The AWS managed basic execution role only allows writing the function’s own logs.',
    );
    acknowledge(
      handler,
      'L1',
      'aws-s3-deployment picks the runtime of its own (Python) handler; it moves with aws-cdk-lib.',
    );
    acknowledge(handler, 'IAM5[Resource::*]', INVALIDATION_REASON);
    for (const finding of [
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      `Resource::arn:${partition}:s3:::cdk-hnb659fds-assets-${account}-${region}/*`,
      `Resource::${bucketObjects}`,
    ]) {
      acknowledge(
        handler,
        `IAM5[${finding}]`,
        "aws-s3-deployment's grants to its handler: read the build from the CDK asset bucket, write (and, where the stage deletes its data, remove) the console bucket's objects; no other bucket.",
      );
    }
  }
};

/** Acknowledges the accepted findings of every stack (see the reason on each). */
export const acknowledgeNagFindings = (stacks: CoSellStacks): void => {
  const { api, data, stage } = stacks;
  acknowledgeConsoleHosting(stacks);
  acknowledgeConsoleDeployment(stacks);

  if (!stage.protectData) {
    acknowledge(
      data.table,
      'DDB3',
      'Point-in-time recovery is on in prod (StageSettings.protectData); dev tables hold test data only.',
    );
  }

  // The Api stack's functions, and the Users stack's token trigger beside the pool.
  for (const stack of [api, ...(stacks.users ? [stacks.users] : [])]) {
    for (const node of stack.node.findAll()) {
      if (node instanceof AppFunction) acknowledgeFunction(node);
    }
  }
  // AwsCustomResource's one handler per stack (the attachments bucket's CORS rule).
  const customResourceHandler = api.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
  if (customResourceHandler) {
    acknowledge(
      customResourceHandler,
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "aws-cdk-lib's AwsCustomResource handler: the AWS managed basic execution role only allows writing its own logs.",
    );
    acknowledge(
      customResourceHandler,
      'L1',
      'AwsCustomResource picks the runtime of its own handler; it moves with aws-cdk-lib.',
    );
  }

  if (data.malwareProtection) {
    const role = data.node.findChild('MalwareProtectionRole');
    acknowledge(
      role,
      `IAM5[Resource::arn:${data.partition}:events:${data.region}:${data.account}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]`,
      'GuardDuty names the EventBridge rule it manages for the protected bucket itself; the grant covers only rules of that documented prefix.',
    );
    acknowledge(
      role,
      `IAM5[Resource::<${data.getLogicalId(data.attachments.node.defaultChild as CfnElement)}.Arn>/*]`,
      "GuardDuty scans and tags every object uploaded to the attachments bucket: the grant covers that bucket's objects only.",
    );
  }
  acknowledge(
    data.attachments,
    'S1',
    'Access to attachments goes through presigned URLs the API issues to members it has authorized (each issue is in the API access log); object-level auditing, when an installation needs it, is CloudTrail S3 data events for this bucket, not a second log bucket per stage.',
  );
  for (const [id, fn] of api.http.functions) {
    const served = HTTP_FUNCTIONS.find((candidate) => candidate.id === id);
    if (!served || httpFunctionBucketAccess(served).length === 0) continue;
    acknowledge(
      fn,
      `IAM5[Resource::arn:${api.partition}:s3:::co-sell-${stage.name}-attachments-<AWS::AccountId>-<AWS::Region>/*]`,
      'One object per attachment, named when it is uploaded: the grant covers the attachment objects of this bucket (functions/bucket-access.ts names the actions); which org may reach which object is decided by the API before it signs a URL.',
    );
  }

  // Export files: one object per export, named when it is written, under their own prefix.
  const exportObjects = `IAM5[Resource::arn:${api.partition}:s3:::co-sell-${stage.name}-attachments-<AWS::AccountId>-<AWS::Region>/${EXPORT_PREFIX}*]`;
  const exportReason =
    'One object per export, named by org and export id when it is written: the grant covers the export prefix only (functions/bucket-access.ts names the actions); which caller may reach which export is decided by the API before it signs a URL.';
  acknowledge(api.exports.function, exportObjects, exportReason);
  for (const [id, fn] of api.http.functions) {
    const served = HTTP_FUNCTIONS.find((candidate) => candidate.id === id);
    if (served && httpFunctionExportAccess(served).length > 0) acknowledge(fn, exportObjects, exportReason);
  }

  if (stacks.users) {
    acknowledge(
      stacks.users.userPool,
      'COG1',
      'Passwords need at least 12 characters and no composition rules, as NIST SP 800-63B recommends; Cognito still rejects common passwords.',
    );
    acknowledge(
      stacks.users.userPool,
      'COG2',
      'MFA is optional (an authenticator app, TOTP): each person turns it on; an installation that must require it signs users in through its own OIDC provider (jwtIssuer).',
    );
    acknowledge(
      stacks.users.userPool,
      'COG8',
      'The Plus feature plan (threat protection) is priced per user; installations that need it use their own OIDC provider instead of this pool.',
    );
  }

  const cursorSecret = api.node.tryFindChild('CursorSecret');
  if (cursorSecret) {
    acknowledge(
      cursorSecret,
      'SMG4',
      'The cursor HMAC key only makes pagination cursors tamper-evident; an operator rotates it with put-secret-value (functions read it at run time and still accept the previous key), so no rotation Lambda runs on a schedule.',
    );
  }

  const originSecret = api.node.tryFindChild('OriginVerifySecret');
  if (originSecret) {
    acknowledge(
      originSecret,
      'SMG4',
      'The origin header value is read by CloudFront and the functions from one deploy: a scheduled rotation would change it under CloudFront without a deploy and refuse every request until the next; it is rotated by a deploy (docs/deploy.md).',
    );
  }

  for (const key of ['GET /health', 'GET /openapi.json', 'GET /docs']) {
    const route = api.http.routes.get(key);
    if (route) {
      acknowledge(
        route,
        'APIG4',
        `${key} is public by the API contract (docs/api.md): it carries no org data and must answer without a token.`,
      );
    }
  }

  for (const node of api.node.findAll()) {
    if (node instanceof DeadLetterQueue) {
      acknowledge(
        node,
        'SQS3',
        `This queue is a dead-letter queue (${node.holds}): an on-failure destination or a schedule target’s DLQ, which cdk-nag does not recognize as one (it knows only redrive DLQs). The monitoring construct alarms on its depth.`,
      );
    }
  }

  for (const [name, fn] of [
    ['webhook delivery', api.webhooks.delivery],
    ['expiry', api.expiry.function],
  ] as const) {
    const logicalId = Stack.of(api).getLogicalId(fn.function.node.defaultChild as CfnElement);
    acknowledge(
      api,
      `IAM5[Resource::<${logicalId}.Arn>:*]`,
      `The EventBridge Scheduler role may invoke the ${name} function and its versions (\`arn:*\`), as the aws-scheduler-targets LambdaInvoke grants; nothing else.`,
    );
  }
};

/** Runs the AwsSolutions pack over the app at synthesis, after acknowledging the accepted findings. */
export const applyNag = (app: App, stacks: CoSellStacks): void => {
  acknowledgeNagFindings(stacks);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
};
