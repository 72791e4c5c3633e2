/**
 * People's sign-ins in the Cognito user pool: the username is the normalized email (the pool signs
 * in by email), created verified so the person signs in with the temporary password Cognito mails
 * in its invitation message (infra/stacks/users-stack.ts). Locally the same calls reach the
 * runtime's emulator (infra/local/cognito-local.ts).
 */
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IdentityProvider } from '#domain/identity/ports.ts';

export type CognitoIdentityProviderConfig = {
  userPoolId: string;
  region: string;
  /** Only set locally: the emulator's URL. */
  endpoint?: string;
};

export class CognitoIdentityProvider implements IdentityProvider {
  private readonly cognito: CognitoIdentityProviderClient;
  private readonly userPoolId: string;

  constructor(config: CognitoIdentityProviderConfig) {
    this.userPoolId = config.userPoolId;
    this.cognito = new CognitoIdentityProviderClient({
      region: config.region,
      // The local emulator checks no signature; a process outside a function has no credentials.
      ...(config.endpoint
        ? { endpoint: config.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
  }

  async ensureUser(email: string, name: string): Promise<void> {
    try {
      await this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: name },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
    } catch (error) {
      // Invited by another org, or a member elsewhere: the user is there; only a removal disabled it.
      if (!(error instanceof UsernameExistsException)) throw error;
      await this.cognito.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: email }));
    }
  }

  async signOutEverywhere(email: string): Promise<void> {
    await ignoringUnknownUser(
      this.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: email })),
    );
  }

  async disable(email: string): Promise<void> {
    await ignoringUnknownUser(
      this.cognito.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: email })),
    );
  }
}

/** A member who joined before the pool had users has none: there is nothing to sign out or disable. */
const ignoringUnknownUser = async (call: Promise<unknown>): Promise<void> => {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof UserNotFoundException)) throw error;
  }
};
