import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TOKEN_CLAIMS_FUNCTION } from '#functions/environment.ts';
import { PROD_DELIVERY, resourcesOf, STAGE_CONTEXTS, synthesize, type TemplateResource } from './stacks.ts';

describe('users stack', () => {
  const dev = synthesize(STAGE_CONTEXTS.dev);
  const prod = synthesize(STAGE_CONTEXTS.prod);

  it('is a stack of its own, named after the stage, protected where the stage protects data', () => {
    expect(dev.users?.stackName).toBe('CoSell-dev-Users');
    expect(prod.users?.stackName).toBe('CoSell-prod-Users');
    expect(prod.users?.terminationProtection).toBe(true);
    expect(dev.users?.terminationProtection).toBe(false);
  });

  it('holds the user pool under the logical id it was first deployed with', () => {
    for (const { usersTemplate } of [dev, prod]) {
      usersTemplate!.resourceCountIs('AWS::Cognito::UserPool', 1);
      expect(Object.keys(usersTemplate!.findResources('AWS::Cognito::UserPool'))).toEqual([
        'UserPool6BA7E5F2',
      ]);
    }
  });

  it('keeps the pool in every stage: retained with its stack, and Cognito refuses to delete it', () => {
    for (const { usersTemplate } of [dev, prod]) {
      usersTemplate!.hasResource('AWS::Cognito::UserPool', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
      });
    }
  });

  it('lets only an org invite people, and offers MFA with an authenticator app (TOTP), never SMS', () => {
    prod.usersTemplate!.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it("sends Cognito's own messages through SES from the product's verified sender where mail is real", () => {
    prod.usersTemplate!.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: `Co-sell referrals <${PROD_DELIVERY.emailFrom}>`,
        SourceArn: {
          'Fn::Join': [
            '',
            Match.arrayWith([Match.stringLikeRegexp(`:identity/${PROD_DELIVERY.emailFrom}$`)]),
          ],
        },
      },
    });
    // The identity is the Data stack's: it is deployed (and verified) before the pool uses it.
    prod.dataTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: PROD_DELIVERY.emailFrom,
    });
    expect(prod.users?.dependencies.map((stack) => stack.stackName)).toContain('CoSell-prod-Data');
    dev.usersTemplate!.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
    });
  });

  it("links Cognito's invitation to the console's /join page when the console's domain is known", () => {
    prod.usersTemplate!.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({
        InviteMessageTemplate: Match.objectLike({
          EmailMessage: Match.stringLikeRegexp(`\\{####\\}.*${PROD_DELIVERY.appBaseUrl}/join`),
        }),
      }),
    });
  });

  it("runs the token trigger, beside the pool, on every token it issues, reading only the sub's binding", () => {
    const template = dev.usersTemplate!;
    const description = TOKEN_CLAIMS_FUNCTION.description;
    const [[triggerId, trigger]] = resourcesOf(template, 'AWS::Lambda::Function').filter(
      ([, fn]) => fn.Properties.Description === description,
    ) as [[string, TemplateResource]];
    expect(trigger.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreTokenGeneration: { 'Fn::GetAtt': [triggerId, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [triggerId, 'Arn'] },
    });
    const role = JSON.stringify((trigger.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]);
    const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties.Roles).includes(JSON.parse(role)),
    );
    const actions = policies.flatMap(([, policy]) =>
      (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap(
        (statement) => statement.Action,
      ),
    );
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem']);
  });

  it('leaves the token trigger out of the Api stack, which imports the pool (no cycle between them)', () => {
    const description = TOKEN_CLAIMS_FUNCTION.description;
    const inApi = resourcesOf(dev.apiTemplate, 'AWS::Lambda::Function').filter(
      ([, fn]) => fn.Properties.Description === description,
    );
    expect(inApi).toEqual([]);
    expect(dev.users!.dependencies.map((stack) => stack.stackName)).not.toContain('CoSell-dev-Api');
  });

  it('is not made when the API trusts another OIDC provider', () => {
    const external = synthesize({
      ...STAGE_CONTEXTS.prod,
      jwtIssuer: 'https://login.example.com/t/v2.0',
      jwtAudience: 'api://co-sell',
    });
    expect(external.users).toBeUndefined();
  });
});
