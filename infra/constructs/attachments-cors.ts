/**
 * The attachments bucket's CORS rule, naming exactly the console's origin. The bucket lives in the
 * Data stack, deployed before the distribution whose URL is the console's origin when it has no
 * domain of its own, so the Api stack writes the rule once it knows that URL
 * (docs/decisions/0107-attachments-cors-set-by-the-api-stack.md). The Data stack declares no CORS
 * rule, so its updates never undo this one.
 */
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ATTACHMENT_CORS } from '#functions/adapters/s3/bucket.ts';

/** The rule as S3's PutBucketCors takes it. */
export const attachmentCorsRules = (origin: string) => [
  {
    AllowedOrigins: [origin],
    AllowedMethods: [...ATTACHMENT_CORS.allowedMethods],
    AllowedHeaders: ATTACHMENT_CORS.allowedHeaders,
    ExposeHeaders: ATTACHMENT_CORS.exposedHeaders,
    MaxAgeSeconds: ATTACHMENT_CORS.maxAgeSeconds,
  },
];

export class AttachmentsCors extends Construct {
  readonly resource: AwsCustomResource;

  constructor(scope: Construct, id: string, props: { bucket: IBucket; consoleOrigin: string }) {
    super(scope, id);
    const call = {
      service: 'S3',
      action: 'putBucketCors',
      parameters: {
        Bucket: props.bucket.bucketName,
        CORSConfiguration: { CORSRules: attachmentCorsRules(props.consoleOrigin) },
      },
      // One rule per bucket: a changed origin updates it in place.
      physicalResourceId: PhysicalResourceId.of(`${Stack.of(this).stackName}-attachments-cors`),
    };
    this.resource = new AwsCustomResource(this, 'Rule', {
      onCreate: call,
      onUpdate: call,
      // Deleting the Api stack leaves the rule: the bucket (and its uploads in flight) outlive it.
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [props.bucket.bucketArn] }),
      ]),
      installLatestAwsSdk: false,
    });
  }
}
