/**
 * The people's stateful stack: the Cognito user pool. It stands apart from the API stack, like the
 * table in the Data stack, because the table stores each member's `sub`, which only this pool knows:
 * a pool that is replaced or deleted orphans every membership. So the stack has termination
 * protection where the stage protects data, the pool is retained with its stack and Cognito refuses
 * to delete it (deletion protection), and it keeps the logical id it was first deployed under (in
 * the API stack, from which docs/deploy.md moves it without replacement).
 *
 * Only what belongs to the people lives here: the pool, its sign-in rules, its MFA, the sender of
 * its own messages and the token trigger that puts each person's org into their tokens (it reads
 * only the table, from the Data stack). The app client, the hosted UI's domain and the authorizer
 * depend on the console's URL and stay in the API stack (infra/constructs/user-directory.ts), which
 * imports the pool: a trigger there would make each stack need the other first.
 */
import { Aws, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccountRecovery, Mfa, UserPool, UserPoolEmail, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TOKEN_CLAIMS_FUNCTION } from '#functions/environment.ts';
import { METRICS_NAMESPACE } from '#functions/observability.ts';
import { TOKEN_CLAIMS_TABLE_ACCESS } from '#functions/table-access.ts';
import { AppFunction } from '../constructs/app-function.ts';
import { keepLogicalId } from '../constructs/keep-logical-id.ts';
import type { StageSettings } from './stage.ts';

/** The logical id the pool was first deployed under: a new one would be a new pool with no `sub`s. */
export const USER_POOL_LOGICAL_ID = 'UserPool6BA7E5F2';

/** The product's name in the messages Cognito itself sends (the temporary password, a reset code). */
const PRODUCT_NAME = 'Co-sell referrals';

export type UsersStackProps = StackProps & {
  stage: StageSettings;
  /** The Data stack's table, whose sub bindings the token trigger reads. */
  table: ITable;
  /**
   * The sender of notification emails, whose SES identity the Data stack holds. Where the stage
   * sends real mail, Cognito's own messages go out from it too (verify it before deploying this
   * stack: Cognito refuses an unverified identity).
   */
  emailFrom: string;
  /** The console's URL when it is known before deployment (its own domain): Cognito's invitation links to `/join`. */
  consoleUrl?: string;
};

export class UsersStack extends Stack {
  readonly userPool: UserPool;
  /** Cognito's pre-token-generation trigger: the caller's org, roles and locations in each token. */
  readonly tokenClaims: AppFunction;

  constructor(scope: Construct, id: string, props: UsersStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const joinAt = props.consoleUrl
      ? `${props.consoleUrl}/join`
      : 'the link in the invitation you received from the organization';

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: { minLength: 12 },
      // A second factor for whoever wants one: an authenticator app (TOTP), never SMS.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // The product's sender where mail is real; Cognito's own (50 a day) only where nobody reads it.
      email: stage.sendsRealMail
        ? UserPoolEmail.withSES({
            fromEmail: props.emailFrom,
            fromName: PRODUCT_NAME,
            sesRegion: Aws.REGION,
          })
        : UserPoolEmail.withCognito(),
      // Only a person an org invites gets a pool user; this message carries their first password.
      // Which org invited them, and the offer itself, is in the product's own invitation email.
      userInvitation: {
        emailSubject: `Your ${PRODUCT_NAME} sign-in`,
        emailBody:
          `You have been invited to ${PRODUCT_NAME}. Sign in with the user name {username} and the ` +
          `temporary password {####}, choose your own password, then join the organization at ${joinAt}.`,
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    keepLogicalId(this.userPool, USER_POOL_LOGICAL_ID);

    // Version 1 of the trigger shapes the ID token, which the console and the API use
    // (functions/triggers/pre-token-generation.ts). Adding it to the pool is an update, never a
    // replacement.
    this.tokenClaims = new AppFunction(this, TOKEN_CLAIMS_FUNCTION.id, {
      definition: TOKEN_CLAIMS_FUNCTION,
      environmentValues: {
        TABLE_NAME: props.table.tableName,
        POWERTOOLS_METRICS_NAMESPACE: `${METRICS_NAMESPACE}/${stage.name}`,
      },
      logRetention: stage.logRetention,
      logRemovalPolicy: stage.removalPolicy,
      timeout: stage.defaultTimeout,
    }).bindTable(props.table, TOKEN_CLAIMS_TABLE_ACCESS);
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION, this.tokenClaims.function);
    new CfnOutput(this, 'UserPoolId', {
      value: this.userPool.userPoolId,
      description: 'The user pool people sign in to (--user-pool-id of the AWS CLI cognito-idp commands)',
    });
  }
}
