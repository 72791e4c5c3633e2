import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { dynamoDeps } from '#functions/composition/deps.ts';

const deps = () =>
  dynamoDeps({
    db: createDocumentClient({ region: 'local', endpoint: 'http://127.0.0.1:9' }),
    tableName: 't',
  });

describe('the identity provider the composition root wires', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('does nothing with another OIDC provider (no user pool): its own administration manages people', async () => {
    vi.stubEnv('USER_POOL_ID', 'none');
    vi.stubEnv('TOKEN_URL', 'none');
    const { identityProvider } = deps();
    await expect(identityProvider.ensureUser('sam@x.example', 'Sam')).resolves.toBeUndefined();
    await expect(identityProvider.signOutEverywhere('sam@x.example')).resolves.toBeUndefined();
    await expect(identityProvider.disable('sam@x.example')).resolves.toBeUndefined();
  });

  it('is built on first use, so functions without the pool variables start', () => {
    vi.stubEnv('USER_POOL_ID', undefined);
    expect(() => deps()).not.toThrow();
  });
});
