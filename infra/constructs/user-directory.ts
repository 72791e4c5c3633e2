/**
 * Who may call the API: the JWT authorizer, and (unless another OIDC provider is configured) the
 * Cognito user pool that issues the tokens, its hosted UI and the web console's app client.
 *
 * The pool and its parts keep the logical ids they were first deployed under: the table stores
 * each person's `sub`, which a replaced pool would not know, and the hosted UI's prefix is unique
 * in the region.
 */
import { Aws, Fn, type RemovalPolicy } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CONSOLE_CALLBACK_PATH, CONSOLE_SCOPES, CONSOLE_SIGNED_OUT_PATH } from './console-config.ts';
import { keepLogicalId } from './keep-logical-id.ts';

/** Tokens from an OIDC provider other than the stack's own Cognito user pool. */
export type ExternalJwtProvider = { issuer: string; audience: string[] };

export type UserDirectoryProps = {
  stageName: string;
  /** When set, no user pool is created and the authorizer trusts this issuer and audience. */
  jwtProvider?: ExternalJwtProvider;
  protectData: boolean;
  removalPolicy: RemovalPolicy;
  /** Password sign-in for the CLI, only where no real mail goes out. */
  allowPasswordAuth: boolean;
};

export class UserDirectory extends Construct {
  readonly issuer: string;
  /** The stack's own user pool; undefined when an external OIDC provider is used. */
  readonly userPool?: UserPool;
  /** The Cognito hosted UI the web console signs users in through (authorization code with PKCE). */
  readonly hostedUi?: UserPoolDomain;
  /** Set by `addConsoleClient`. */
  consoleClient?: UserPoolClient;
  private audience: string[];
  private authorizer?: HttpJwtAuthorizer;
  private readonly allowPasswordAuth: boolean;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.allowPasswordAuth = props.allowPasswordAuth;
    if (props.jwtProvider) {
      this.issuer = props.jwtProvider.issuer;
      this.audience = props.jwtProvider.audience;
      return;
    }
    this.audience = [];
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: { minLength: 12 },
      deletionProtection: props.protectData,
      removalPolicy: props.removalPolicy,
    });
    keepLogicalId(this.userPool, 'UserPool6BA7E5F2');
    // The hosted UI's prefix must be unique in the region across all accounts: stage and account id.
    this.hostedUi = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: Fn.join('-', ['co-sell', props.stageName, Aws.ACCOUNT_ID]) },
    });
    keepLogicalId(this.hostedUi, 'UserPoolHostedUi3A76E499');
    this.issuer = this.userPool.userPoolProviderUrl;
  }

  /**
   * The web console is a public client: authorization code flow (the console sends PKCE), no
   * implicit flow, no client secret. Made once the console's URL is known (sign-in returns there).
   */
  addConsoleClient(consoleUrl: string): void {
    if (!this.userPool) return;
    this.consoleClient = this.userPool.addClient('ApiClient', {
      authFlows: { userSrp: true, userPassword: this.allowPasswordAuth },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: CONSOLE_SCOPES.map((scope) => OAuthScope.custom(scope)),
        callbackUrls: [`${consoleUrl}${CONSOLE_CALLBACK_PATH}`],
        logoutUrls: [`${consoleUrl}${CONSOLE_SIGNED_OUT_PATH}`],
      },
      generateSecret: false,
      preventUserExistenceErrors: true,
    });
    keepLogicalId(this.consoleClient, 'UserPoolApiClient5E25D46A');
    this.audience = [this.consoleClient.userPoolClientId];
  }

  /**
   * Every token the pool issues carries the caller's org, roles and locations, added by `trigger`
   * (functions/triggers/pre-token-generation.ts; version 1, the ID token). Another provider's
   * tokens carry none: the API then reads the membership first.
   */
  addTokenClaims(trigger: IFunction): void {
    this.userPool?.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION, trigger);
  }

  /**
   * The JWT authorizer of the HTTP API, made on first use with the issuer and the audience known
   * then: ask for it after `addConsoleClient`, whose app client is the audience.
   */
  get jwtAuthorizer(): HttpJwtAuthorizer {
    this.authorizer ??= new HttpJwtAuthorizer('JwtAuthorizer', this.issuer, { jwtAudience: this.audience });
    return this.authorizer;
  }

  /** The app client the console signs in with ('' when the audience is another provider's and empty). */
  get clientId(): string {
    return this.audience[0] ?? '';
  }
}
