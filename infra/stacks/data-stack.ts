/**
 * The stateful stack: the single DynamoDB table. Its keys, indexes and TTL attribute come only from
 * functions/adapters/dynamo/table.ts, the module the adapters and DynamoDB Local also use.
 */
import { Annotations, Aws, CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import {
  INDEXES,
  type IndexDefinition,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from '#functions/adapters/dynamo/table.ts';
import {
  ATTACHMENT_CORS,
  DELETED_EXPIRY_DAYS,
  DELETED_TAG,
  INCOMPLETE_UPLOAD_DAYS,
  NONCURRENT_DAYS,
} from '#functions/adapters/s3/bucket.ts';
import type { StageSettings } from './stage.ts';

export type DataStackProps = StackProps & {
  stage: StageSettings;
  /** The sender address of notification emails: the stack creates its SES identity (verify it once). */
  emailFrom?: string;
  /**
   * The web console's origins: the only ones whose browsers may use the attachments bucket's URLs.
   * The console's own domain when it has one; otherwise its CloudFront URL, which the API stack
   * creates after this stack, so only its pattern (`https://*.cloudfront.net`) can be named here.
   */
  consoleOrigins: string[];
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
      cors: [
        {
          allowedOrigins: props.consoleOrigins,
          allowedMethods: ATTACHMENT_CORS.allowedMethods.map((method) => HttpMethods[method]),
          allowedHeaders: ATTACHMENT_CORS.allowedHeaders,
          exposedHeaders: ATTACHMENT_CORS.exposedHeaders,
          maxAge: ATTACHMENT_CORS.maxAgeSeconds,
        },
      ],
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
          id: 'files-of-deleted-deals',
          tagFilters: { [DELETED_TAG.key]: DELETED_TAG.value },
          expiration: Duration.days(DELETED_EXPIRY_DAYS),
        },
      ],
      removalPolicy: stage.removalPolicy,
      autoDeleteObjects: false,
    });

    if (props.emailFrom) {
      this.emailIdentity = new EmailIdentity(this, 'EmailIdentity', {
        identity: Identity.email(props.emailFrom),
      });
    }
  }
}
