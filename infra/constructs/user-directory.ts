/**
 * Who may call the API: (unless another OIDC provider is configured) the hosted UI of the user pool
 * that issues the tokens, the web console's app client and the resource server whose scopes API
 * clients are granted; the authorizer (api-authorizer.ts) trusts what the pool issues. The pool
 * itself lives in its own protected stack (infra/stacks/users-stack.ts): the table stores each
 * person's `sub`, which a replaced pool would not know.
 *
 * The hosted UI and the app client keep the logical ids they were first deployed under: the hosted
 * UI's prefix is unique in the region, and a new app client would sign everybody out.
 */
import { Aws, Fn } from 'aws-cdk-lib';
import {
  OAuthScope,
  ResourceServerScope,
  type UserPool,
  UserPoolClient,
  UserPoolDomain,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { API_SCOPES, type ApiScope } from '#domain/kernel/actor.ts';
import { RESOURCE_SERVER_ID } from '#functions/adapters/cognito/scopes.ts';
import { CONSOLE_CALLBACK_PATH, CONSOLE_SCOPES, CONSOLE_SIGNED_OUT_PATH } from './console-config.ts';
import { keepLogicalId } from './keep-logical-id.ts';

/** Tokens from an OIDC provider other than the stack's own Cognito user pool. */
export type ExternalJwtProvider = { issuer: string; audience: string[] };

export type UserDirectoryProps = {
  stageName: string;
  /** The stack's own user pool (the Users stack), unless the authorizer trusts another provider. */
  userPool?: UserPool;
  /** When set, there is no user pool and the authorizer trusts this issuer and audience. */
  jwtProvider?: ExternalJwtProvider;
  /** Password sign-in for the CLI, only where no real mail goes out. */
  allowPasswordAuth: boolean;
};

const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  'deals:read': 'Read deals, comments, attachments, directories and reports',
  'deals:write': 'Create and change deals',
  webhooks: 'Manage webhook endpoints',
};

/** What the functions get when API clients cannot be made (another identity provider signs people in). */
export const NO_USER_POOL = 'none';

export class UserDirectory extends Construct {
  readonly issuer: string;
  /** The stack's own user pool; undefined when an external OIDC provider is used. */
  readonly userPool?: UserPool;
  /** The Cognito hosted UI the web console signs users in through (authorization code with PKCE). */
  readonly hostedUi?: UserPoolDomain;
  /**
   * The API as an OAuth resource server: the scopes API clients are granted. The clients themselves
   * are app clients the API makes at run time (functions/adapters/cognito/client-credentials.ts).
   */
  readonly resourceServer?: UserPoolResourceServer;
  /** Set by `addConsoleClient`. */
  consoleClient?: UserPoolClient;
  private audience: string[];
  private readonly allowPasswordAuth: boolean;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.allowPasswordAuth = props.allowPasswordAuth;
    if (props.jwtProvider || !props.userPool) {
      if (!props.jwtProvider) throw new Error('UserDirectory needs a user pool or another OIDC provider.');
      this.issuer = props.jwtProvider.issuer;
      this.audience = props.jwtProvider.audience;
      return;
    }
    this.audience = [];
    this.userPool = props.userPool;
    // The hosted UI's prefix must be unique in the region across all accounts: stage and account id.
    this.hostedUi = new UserPoolDomain(this, 'HostedUi', {
      userPool: this.userPool,
      cognitoDomain: { domainPrefix: Fn.join('-', ['co-sell', props.stageName, Aws.ACCOUNT_ID]) },
    });
    keepLogicalId(this.hostedUi, 'UserPoolHostedUi3A76E499');
    this.issuer = this.userPool.userPoolProviderUrl;
    this.resourceServer = new UserPoolResourceServer(this, 'ApiResourceServer', {
      userPool: this.userPool,
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'Co-sell API',
      scopes: API_SCOPES.map(
        (scope) => new ResourceServerScope({ scopeName: scope, scopeDescription: SCOPE_DESCRIPTIONS[scope] }),
      ),
    });
  }

  /**
   * The web console is a public client: authorization code flow (the console sends PKCE), no
   * implicit flow, no client secret. Made once the console's URL is known (sign-in returns there).
   */
  addConsoleClient(consoleUrl: string): void {
    if (!this.userPool) return;
    // In this stack, not the pool's: the client names the console's URL, which this stack makes.
    this.consoleClient = new UserPoolClient(this, 'ApiClient', {
      userPool: this.userPool,
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

  /** The audiences a person's ID token may name: the console's app client (or the provider's). */
  get audiences(): string {
    return this.audience.join(',');
  }

  /** The issuer's signing keys, where OIDC providers (and Cognito) publish them. */
  get jwksUrl(): string {
    return `${this.issuer}/.well-known/jwks.json`;
  }

  /** Where API clients get tokens: the pool domain's token endpoint. */
  get tokenUrl(): string {
    return this.hostedUi ? `${this.hostedUi.baseUrl()}/oauth2/token` : NO_USER_POOL;
  }

  /** The app client the console signs in with ('' when the audience is another provider's and empty). */
  get clientId(): string {
    return this.audience[0] ?? '';
  }
}
