/**
 * API clients' credentials held by the Cognito user pool: each client is an app client with a
 * generated secret, allowed only the client-credentials grant and its scopes on the API's resource
 * server. Cognito issues its access tokens at the pool domain's `/oauth2/token` (`tokenUrl`).
 * Locally the same calls reach the runtime's emulator (infra/local/cognito-local.ts).
 */
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ClientCredentials } from '#domain/identity/ports.ts';
import type { ApiScope } from '#domain/kernel/actor.ts';
import { oauthScope } from './scopes.ts';

export type CognitoClientCredentialsConfig = {
  userPoolId: string;
  tokenUrl: string;
  region: string;
  /** Only set locally: the emulator's URL. */
  endpoint?: string;
};

/** How long a client's access token lives: an hour, as a person's ID token. */
const ACCESS_TOKEN_MINUTES = 60;

export class CognitoClientCredentials implements ClientCredentials {
  readonly tokenUrl: string;
  private readonly cognito: CognitoIdentityProviderClient;
  private readonly userPoolId: string;

  constructor(config: CognitoClientCredentialsConfig) {
    this.tokenUrl = config.tokenUrl;
    this.userPoolId = config.userPoolId;
    this.cognito = new CognitoIdentityProviderClient({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    });
  }

  async register(input: { name: string; scopes: readonly ApiScope[] }) {
    const { UserPoolClient: client } = await this.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: this.userPoolId,
        // Cognito's app client names allow fewer characters than ours; the API keeps the real name.
        ClientName: input.name.replace(/[^\w\s+=,.@-]/g, '-').slice(0, 128) || 'api-client',
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: input.scopes.map(oauthScope),
        AccessTokenValidity: ACCESS_TOKEN_MINUTES,
        TokenValidityUnits: { AccessToken: 'minutes' },
        EnableTokenRevocation: true,
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    if (!client?.ClientId || !client.ClientSecret)
      throw new Error('Cognito made an app client without a secret');
    return { clientId: client.ClientId, clientSecret: client.ClientSecret };
  }

  async revoke(clientId: string): Promise<void> {
    try {
      await this.cognito.send(
        new DeleteUserPoolClientCommand({ UserPoolId: this.userPoolId, ClientId: clientId }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
