/**
 * The stateful stack: the single DynamoDB table (its keys, indexes and TTL attribute come only from
 * functions/adapters/dynamo/table.ts, the module the adapters and DynamoDB Local also use), the
 * attachments bucket, and the KMS key that seals webhook signing secrets stored in the table.
 */
import {
  Annotations,
  Aws,
  CfnOutput,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { CfnMalwareProtectionPlan } from 'aws-cdk-lib/aws-guardduty';
import { AnyPrincipal, Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { EXPORT_RETENTION_MS } from '#domain/deals/use-cases/export-deals.ts';
import {
  INDEXES,
  type IndexDefinition,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from '#functions/adapters/dynamo/table.ts';
import {
  DELETED_EXPIRY_DAYS,
  DELETED_TAG,
  INCOMPLETE_UPLOAD_DAYS,
  NONCURRENT_DAYS,
} from '#functions/adapters/s3/bucket.ts';
import { SCAN_CLEAN, SCAN_TAG } from '#functions/adapters/s3/file-store.ts';
import { EXPORT_PREFIX } from '#functions/bucket-access.ts';
import type { StageSettings } from './stage.ts';

/** The lifecycle rule counts whole days: an export's file lives at least as long as its job. */
const EXPORT_RETENTION_DAYS = Math.ceil(EXPORT_RETENTION_MS / (24 * 60 * 60 * 1000));

export type DataStackProps = StackProps & {
  stage: StageSettings;
  /** The sender address of notification emails: the stack creates its SES identity (verify it once). */
  emailFrom?: string;
  /** The last GSI the table gets (see `indexesUpTo`); every index of INDEXES without it. */
  upgradeStep?: string;
};

/**
 * The table's GSIs up to and including the one `upgradeStep` names, or all of INDEXES without it.
 * CloudFormation creates or deletes only one GSI per stack update, so a release that adds several
 * is deployed once per index: `-c upgradeStep=gsi5`, then `-c upgradeStep=gsi6` (or without it).
 */
export const indexesUpTo = (upgradeStep: string | undefined): readonly IndexDefinition[] => {
  if (upgradeStep === undefined) return INDEXES;
  const last = INDEXES.findIndex((index) => index.name === upgradeStep);
  if (last < 0) {
    throw new Error(
      `Context "upgradeStep" must name one of the table's indexes (${INDEXES.map((index) => index.name).join(', ')}), got "${upgradeStep}".`,
    );
  }
  return INDEXES.slice(0, last + 1);
};

/**
 * The attachments bucket's name, unique per stage, account and region (bucket names are global).
 * The API stack names the bucket by this rather than by a cross-stack export, so its grants read
 * the same in every synthesis (and cdk-nag's acknowledgement can name them).
 */
export const attachmentsBucketName = (stage: string): string =>
  Fn.join('-', ['co-sell', stage, 'attachments', Aws.ACCOUNT_ID, Aws.REGION]);

export class DataStack extends Stack {
  /** The one table: every entity, its GSIs, and the stream the notification consumer reads. */
  readonly table: Table;
  /** The SES identity notification emails are sent from (an email address identity of `emailFrom`). */
  readonly emailIdentity?: EmailIdentity;
  /** Registration attachments: private, one object per attachment, reached through presigned URLs. */
  readonly attachments: Bucket;
  /** GuardDuty's scan of every uploaded attachment, where the stage scans (StageSettings.malwareScanning). */
  readonly malwareProtection?: CfnMalwareProtectionPlan;
  /**
   * Seals webhook endpoints' signing secrets in the table (functions/adapters/kms/). Stateful like
   * the table: without it the sealed secrets never open again, so it is kept in every stage.
   */
  readonly webhookSecretsKey: Key;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { stage } = props;

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: stage.protectData },
      deletionProtection: stage.protectData,
      removalPolicy: stage.removalPolicy,
    });

    const indexes = indexesUpTo(props.upgradeStep);
    if (indexes.length < INDEXES.length) {
      // The API's functions query every index: only this stack may be deployed with a step.
      Annotations.of(this).addWarningV2(
        'co-sell:upgrade-step',
        `upgradeStep=${props.upgradeStep}: the table is synthesized without ` +
          `${INDEXES.slice(indexes.length)
            .map((index) => index.name)
            .join(
              ', ',
            )}. Deploy only ${this.stackName} with it, then the next step, then everything without upgradeStep.`,
      );
    }
    for (const index of indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    // Named by the stack that owns the table: another stack's output could only repeat its import.
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The DynamoDB table (TABLE_NAME for the scripts in infra/scripts)',
    });

    this.attachments = new Bucket(this, 'Attachments', {
      bucketName: attachmentsBucketName(stage.name),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // SSE-S3: presigned URLs need no KMS grants, and every object is encrypted at rest.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      // No CORS rule here: the Api stack sets it to exactly the console's origin, which it knows
      // only once the distribution exists (infra/constructs/attachments-cors.ts).
      lifecycleRules: [
        {
          id: 'incomplete-multipart-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(INCOMPLETE_UPLOAD_DAYS),
        },
        {
          // Deleted and overwritten files stay recoverable for a while, then go for good.
          id: 'noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(NONCURRENT_DAYS),
          expiredObjectDeleteMarker: true,
        },
        {
          // Export files go when their jobs do (the job item's TTL).
          id: 'exports',
          prefix: EXPORT_PREFIX,
          expiration: Duration.days(EXPORT_RETENTION_DAYS),
        },
        {
          id: 'files-of-deleted-deals',
          tagFilters: { [DELETED_TAG.key]: DELETED_TAG.value },
          expiration: Duration.days(DELETED_EXPIRY_DAYS),
        },
      ],
      removalPolicy: stage.removalPolicy,
      autoDeleteObjects: false,
    });

    if (stage.malwareScanning) this.malwareProtection = this.scanAttachments();

    // The key policy trusts the account's IAM: the Api stack grants each function only the action
    // it needs (infra/stacks/api-stack.ts), and no function may manage or delete the key.
    this.webhookSecretsKey = new Key(this, 'WebhookSecretsKey', {
      description: `Seals the signing secrets of co-sell webhook endpoints (${stage.name})`,
      enableKeyRotation: true,
      // Even where the stage's data goes with the stack: a key scheduled for deletion cannot be
      // brought back after its waiting period, and every secret sealed with it would be lost.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    if (props.emailFrom) {
      this.emailIdentity = new EmailIdentity(this, 'EmailIdentity', {
        identity: Identity.email(props.emailFrom),
      });
    }
  }

  /**
   * GuardDuty Malware Protection for S3 on the attachments bucket: every new object is scanned and
   * tagged with its verdict (`GuardDutyMalwareScanStatus`), which the API reads before it hands a
   * file out (ATTACHMENT_SCAN=guardduty). The bucket also refuses every presigned GET of an object
   * not tagged clean, so even a leaked download URL cannot fetch an unscanned or infected file; the
   * API's own HeadObject (signed in headers) and the scanner's reads are not presigned.
   */
  private scanAttachments(): CfnMalwareProtectionPlan {
    const bucket = this.attachments;
    // The permissions GuardDuty documents for a protected bucket's service role.
    const role = new Role(this, 'MalwareProtectionRole', {
      assumedBy: new ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com'),
      description: 'GuardDuty Malware Protection for S3: scans and tags the attachments bucket',
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
        resources: [
          `arn:${this.partition}:events:${this.region}:${this.account}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`,
        ],
        conditions: { StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' } },
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['events:DescribeRule', 'events:ListTargetsByRule'],
        resources: [
          `arn:${this.partition}:events:${this.region}:${this.account}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`,
        ],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:PutBucketNotification', 's3:GetBucketNotification', 's3:ListBucket'],
        resources: [bucket.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:GetObjectTagging',
          's3:GetObjectVersionTagging',
          's3:PutObjectTagging',
          's3:PutObjectVersionTagging',
        ],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('malware-protection-resource-validation-object')],
      }),
    );
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DownloadOnlyWhenScannedClean',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [bucket.arnForObjects('*')],
        conditions: {
          StringEquals: { 's3:authType': 'REST-QUERY-STRING' },
          StringNotEquals: { [`s3:ExistingObjectTag/${SCAN_TAG}`]: SCAN_CLEAN },
        },
      }),
    );
    const plan = new CfnMalwareProtectionPlan(this, 'MalwareProtection', {
      role: role.roleArn,
      protectedResource: { s3Bucket: { bucketName: bucket.bucketName } },
      actions: { tagging: { status: 'ENABLED' } },
    });
    // GuardDuty checks its permissions when the plan is created.
    plan.node.addDependency(role);
    return plan;
  }
}
