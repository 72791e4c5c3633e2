/**
 * The key that seals webhook signing secrets: one customer-managed key in the Data stack, rotated
 * yearly, kept when the stack goes; the routes that write secrets may only encrypt with it, the
 * delivery job only decrypt, each only with an endpoint's encryption context, and no other
 * function may use it at all.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '#functions/environment.ts';
import { appFunctionsOf, PROD_DELIVERY, resourcesOf, synthesize, type TemplateResource } from './stacks.ts';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

const statementsOf = (template: Template, fn: TemplateResource): Statement[] => {
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(`"${role}"`))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};

const kmsActions = (statement: Statement): string[] =>
  [statement.Action].flat().filter((action) => action.startsWith('kms:'));

describe.each(['dev', 'prod'])('the webhook secrets key (%s)', (stage) => {
  const { data, dataTemplate, apiTemplate, usersTemplate } = synthesize({ stage, ...PROD_DELIVERY });
  const keyId = data.getLogicalId(data.webhookSecretsKey.node.defaultChild as never);
  const isOf = (logicalId: string, id: string) => new RegExp(`${id}Function[0-9A-F]{8}$`).test(logicalId);
  const functions = [apiTemplate, usersTemplate!].flatMap((template) =>
    appFunctionsOf(template).map(([logicalId, resource]) => ({
      id: FUNCTIONS.find((fn) => isOf(logicalId, fn.id))?.id,
      statements: statementsOf(template, resource),
      variables: (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    })),
  );

  it('is one customer-managed symmetric key with yearly rotation, retained when the stack goes', () => {
    dataTemplate.resourceCountIs('AWS::KMS::Key', 1);
    const resources = dataTemplate.findResources('AWS::KMS::Key');
    expect(Object.keys(resources)).toEqual([keyId]);
    expect(resources[keyId]).toMatchObject({
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // Symmetric encryption: the default spec and usage, which is what Encrypt and Decrypt need.
    expect(resources[keyId]!.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
    expect(resources[keyId]!.Properties.KeyUsage ?? 'ENCRYPT_DECRYPT').toBe('ENCRYPT_DECRYPT');
  });

  it('lets the webhooks writes encrypt and the delivery job decrypt, and nothing else use it', () => {
    const granted = functions.flatMap(({ id, statements }) =>
      statements.flatMap((statement) => kmsActions(statement).map((action) => `${id} ${action}`)),
    );
    expect(granted.sort()).toEqual(['DeliverWebhooks kms:Decrypt', 'WebhooksWrites kms:Encrypt']);
  });

  it('grants each only on this key, and only with an endpoint’s encryption context', () => {
    for (const { statements } of functions) {
      for (const statement of statements.filter((s) => kmsActions(s).length > 0)) {
        expect(JSON.stringify(statement.Resource)).toContain(keyId);
        expect(statement.Condition).toEqual({
          Null: { 'kms:EncryptionContext:orgId': 'false', 'kms:EncryptionContext:webhookId': 'false' },
        });
      }
    }
  });

  it("tells exactly those two functions the key's ARN", () => {
    const told = functions.filter(({ variables }) => 'WEBHOOK_SECRETS_KEY_ARN' in variables);
    expect(told.map(({ id }) => id).sort()).toEqual(['DeliverWebhooks', 'WebhooksWrites']);
    for (const { variables } of told) {
      expect(JSON.stringify(variables.WEBHOOK_SECRETS_KEY_ARN)).toContain(keyId);
    }
  });
});
