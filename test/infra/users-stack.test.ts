import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PROD_DELIVERY, STAGE_CONTEXTS, synthesize } from './stacks.ts';

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

  it('is not made when the API trusts another OIDC provider', () => {
    const external = synthesize({
      ...STAGE_CONTEXTS.prod,
      jwtIssuer: 'https://login.example.com/t/v2.0',
      jwtAudience: 'api://co-sell',
    });
    expect(external.users).toBeUndefined();
  });
});
