/**
 * The attachments bucket (docs/decisions/0052-attachments-on-s3.md): private, encrypted,
 * TLS only, versioned, with lifecycle and CORS rules; and only the attachment functions reach it,
 * each with exactly the actions functions/bucket-access.ts declares.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DELETED_TAG, INCOMPLETE_UPLOAD_DAYS, NONCURRENT_DAYS } from '#functions/adapters/s3/bucket.ts';
import {
  EXPORT_FUNCTION_BUCKET_ACCESS,
  EXPORT_PREFIX,
  httpFunctionBucketAccess,
  httpFunctionExportAccess,
  ROUTE_BUCKET_ACCESS,
} from '#functions/bucket-access.ts';
import { EXPORT_FUNCTION, HTTP_FUNCTION_DEFINITIONS } from '#functions/environment.ts';
import { HTTP_FUNCTIONS, ROUTES, routeKey } from '#functions/http/routes.ts';
import { PROD_DELIVERY, resourcesOf, synthesize, type TemplateResource } from './stacks.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const dev = synthesize({ stage: 'dev' });
const prod = synthesize({ stage: 'prod', ...PROD_DELIVERY });

const bucketOf = (template: Template) => {
  const buckets = resourcesOf(template, 'AWS::S3::Bucket');
  expect(buckets).toHaveLength(1);
  return buckets[0] as [string, TemplateResource];
};

const s3Statements = (template: Template, fn: TemplateResource): Statement[] => {
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(`"${role}"`))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')));
};

describe('attachments bucket', () => {
  it('is private, encrypted, versioned and owned by the bucket owner', () => {
    const [, bucket] = bucketOf(dev.dataTemplate);
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('refuses every request that is not TLS', () => {
    const [id] = bucketOf(dev.dataTemplate);
    const policies = resourcesOf(dev.dataTemplate, 'AWS::S3::BucketPolicy').filter(([, policy]) =>
      JSON.stringify(policy.Properties.Bucket).includes(id),
    );
    const statements = policies.flatMap(
      ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('expires incomplete uploads, replaced and deleted versions, and files of deleted deals', () => {
    const [, bucket] = bucketOf(dev.dataTemplate);
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: INCOMPLETE_UPLOAD_DAYS },
          Status: 'Enabled',
        }),
        expect.objectContaining({
          NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_DAYS },
          ExpiredObjectDeleteMarker: true,
        }),
        expect.objectContaining({
          TagFilters: [{ Key: DELETED_TAG.key, Value: DELETED_TAG.value }],
          ExpirationInDays: 1,
        }),
        expect.objectContaining({ Prefix: EXPORT_PREFIX, ExpirationInDays: 1, Status: 'Enabled' }),
      ]),
    );
  });

  it('lets the export job only write (and abort) files under the export prefix', () => {
    const [fn] = resourcesOf(dev.apiTemplate, 'AWS::Lambda::Function')
      .filter(([, resource]) => resource.Properties.Description === EXPORT_FUNCTION.description)
      .map(([, resource]) => resource);
    const statements = s3Statements(dev.apiTemplate, fn as TemplateResource);
    expect(statements).toHaveLength(1);
    expect([statements[0]!.Action].flat().sort()).toEqual([...EXPORT_FUNCTION_BUCKET_ACCESS].sort());
    expect(JSON.stringify(statements[0]!.Resource)).toContain(`/${EXPORT_PREFIX}*`);
  });

  it("lets only the console's origin use the URLs from a browser: exactly its URL, set by the Api stack", () => {
    // The Data stack declares no rule (its updates would undo the Api stack's).
    expect(bucketOf(prod.dataTemplate)[1].Properties.CorsConfiguration).toBeUndefined();
    expect(bucketOf(dev.dataTemplate)[1].Properties.CorsConfiguration).toBeUndefined();
    const corsCall = (stacks: typeof dev) => {
      const [[, resource]] = resourcesOf(stacks.apiTemplate, 'Custom::AWS') as [[string, TemplateResource]];
      const create = JSON.stringify(resource.Properties.Create);
      expect(create).toBe(JSON.stringify(resource.Properties.Update));
      return create;
    };
    const rule = (origin: string) => `\\"CORSRules\\":[{\\"AllowedOrigins\\":[\\"${origin}`;
    // prod: the console's own domain, exactly.
    const prodCall = corsCall(prod);
    expect(prodCall).toContain('\\"action\\":\\"putBucketCors\\"');
    expect(prodCall).toContain(`${rule(PROD_DELIVERY.appBaseUrl)}\\"]`);
    expect(prodCall).toContain('\\"AllowedHeaders\\":[\\"content-type\\",\\"x-amz-checksum-sha256\\"]');
    // dev: the distribution's own URL, not a pattern of every distribution.
    const devCall = corsCall(dev);
    expect(devCall).not.toContain('*.cloudfront.net');
    expect(devCall).toMatch(
      new RegExp(
        `${rule('https://').replace(/[\\[\]]/g, '\\$&')}.*"Fn::GetAtt":\\["ConsoleDistribution[0-9A-F]+","DomainName"\\]`,
      ),
    );
  });

  it('is kept when the prod stack goes away', () => {
    const [id] = bucketOf(prod.dataTemplate);
    expect(prod.dataTemplate.toJSON().Resources[id].DeletionPolicy).toBe('Retain');
  });
});

describe('who reaches the attachments bucket', () => {
  it('declares only existing routes', () => {
    const known = new Set(ROUTES.map(routeKey));
    expect(Object.keys(ROUTE_BUCKET_ACCESS).filter((key) => !known.has(key))).toEqual([]);
  });

  it.each(HTTP_FUNCTIONS.map((served) => [served.id, served] as const))('%s', (id, served) => {
    const description = HTTP_FUNCTION_DEFINITIONS.find((definition) => definition.id === id)?.description;
    const [fn] = resourcesOf(dev.apiTemplate, 'AWS::Lambda::Function')
      .filter(([, resource]) => resource.Properties.Description === description)
      .map(([, resource]) => resource);
    expect(fn).toBeDefined();
    const all = s3Statements(dev.apiTemplate, fn as TemplateResource);
    const onExports = (statement: { Resource?: unknown }) =>
      JSON.stringify(statement.Resource).includes(`/${EXPORT_PREFIX}*`);
    const statements = all.filter((statement) => !onExports(statement));
    const variables = Object.keys(
      ((fn as TemplateResource).Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    );
    expect(all.filter(onExports).flatMap((statement) => [statement.Action].flat())).toEqual([
      ...httpFunctionExportAccess(served),
    ]);
    const declared = httpFunctionBucketAccess(served);
    if (declared.length + httpFunctionExportAccess(served).length === 0) {
      expect(statements).toEqual([]);
      expect(variables).not.toContain('ATTACHMENTS_BUCKET');
      return;
    }
    expect(variables).toEqual(expect.arrayContaining(['ATTACHMENTS_BUCKET', 'ATTACHMENT_SCAN']));
    if (declared.length === 0) {
      expect(statements).toEqual([]);
      return;
    }
    const onObjects = statements.filter((statement) => JSON.stringify(statement.Resource).includes('/*'));
    expect(onObjects.flatMap((statement) => [statement.Action].flat()).sort()).toEqual([...declared].sort());
    const onBucket = statements.filter((statement) => !JSON.stringify(statement.Resource).includes('/*'));
    expect(onBucket.flatMap((statement) => [statement.Action].flat())).toEqual(
      declared.includes('s3:GetObject') ? ['s3:ListBucket'] : [],
    );
  });
});
