import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoIdentityProvider } from '#functions/adapters/cognito/identity-provider.ts';
import { type CognitoLocal, startCognitoLocal } from '#infra/local/cognito-local.ts';

/** The Cognito adapter over the AWS SDK against the local emulator: the calls the cloud receives. */
describe('CognitoIdentityProvider against the local user pool', () => {
  let pool: CognitoLocal;
  let provider: CognitoIdentityProvider;
  let directory: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'co-sell-cognito-'));
    pool = await startCognitoLocal({ file: join(directory, 'pool.json') });
    provider = new CognitoIdentityProvider({
      userPoolId: 'local_userpool',
      region: 'us-east-1',
      endpoint: pool.endpoint,
    });
  });
  afterAll(async () => {
    await pool.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('creates a verified user named by the email, and takes an existing user as success', async () => {
    await provider.ensureUser('sam@fabrikam.example', 'Sam Example');
    expect(pool.user('sam@fabrikam.example')).toMatchObject({
      username: 'sam@fabrikam.example',
      enabled: true,
      status: 'FORCE_CHANGE_PASSWORD',
      attributes: { email: 'sam@fabrikam.example', email_verified: 'true', name: 'Sam Example' },
    });
    const { sub } = pool.user('sam@fabrikam.example')!;
    await provider.ensureUser('sam@fabrikam.example', 'Sam Again');
    expect(pool.user('sam@fabrikam.example')).toMatchObject({ sub, attributes: { name: 'Sam Example' } });
  });

  it('signs out and disables a user, whose sign-ins the pool then refuses; inviting enables it again', async () => {
    await provider.ensureUser('ria@fabrikam.example', 'Ria');
    await provider.signOutEverywhere('ria@fabrikam.example');
    expect(pool.user('ria@fabrikam.example')?.signedOutAt).toEqual(expect.any(String));
    expect(pool.refusesSignIn('ria@fabrikam.example')).toBe(false);
    await provider.disable('ria@fabrikam.example');
    expect(pool.refusesSignIn('Ria@Fabrikam.example')).toBe(true);
    await provider.ensureUser('ria@fabrikam.example', 'Ria');
    expect(pool.refusesSignIn('ria@fabrikam.example')).toBe(false);
  });

  it('counts an unknown user as signed out and disabled', async () => {
    await expect(provider.signOutEverywhere('nobody@x.example')).resolves.toBeUndefined();
    await expect(provider.disable('nobody@x.example')).resolves.toBeUndefined();
    expect(pool.refusesSignIn('nobody@x.example')).toBe(false);
  });

  it('keeps users across restarts, as `npm start` keeps its data', async () => {
    await provider.ensureUser('kept@fabrikam.example', 'Kept');
    await provider.disable('kept@fabrikam.example');
    const again = await startCognitoLocal({ file: join(directory, 'pool.json') });
    try {
      expect(again.refusesSignIn('kept@fabrikam.example')).toBe(true);
    } finally {
      await again.stop();
    }
  });
});
