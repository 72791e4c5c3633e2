/**
 * The stateful stack: the single DynamoDB table. Its keys, indexes and TTL attribute come only from
 * functions/adapters/dynamo/table.ts, the module the adapters and DynamoDB Local also use.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '#functions/adapters/dynamo/table.ts';
import type { StageSettings } from './stage.ts';

export type DataStackProps = StackProps & {
  stage: StageSettings;
  /** The sender address of notification emails: the stack creates its SES identity (verify it once). */
  emailFrom?: string;
};

export class DataStack extends Stack {
  /** The one table: every entity, its GSIs, and the stream the notification consumer reads. */
  readonly table: Table;
  /** The SES identity notification emails are sent from (an email address identity of `emailFrom`). */
  readonly emailIdentity?: EmailIdentity;

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

    for (const index of INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    if (props.emailFrom) {
      this.emailIdentity = new EmailIdentity(this, 'EmailIdentity', {
        identity: Identity.email(props.emailFrom),
      });
    }
  }
}
