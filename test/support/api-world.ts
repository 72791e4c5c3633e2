/**
 * Handlers wired to the real adapters: a fresh table in the integration tier's DynamoDB Local and the
 * composition root pointed at it through the environment, as a Lambda would be.
 */
import { randomBytes } from 'node:crypto';
import { getDeps, overrideDeps, resetDeps } from '#functions/composition/deps.ts';
import { resetConfig } from '#functions/config.ts';
import { type KmsLocal, startKmsLocal } from '#infra/local/kms-local.ts';
import { type SecretsLocal, startSecretsLocal } from '#infra/local/secrets-local.ts';
import { seedWorld, settableClock, type World } from './deal-world.ts';
import { MemoryIdentityProvider } from './memory/identity-provider.ts';
import { createTestTable } from './test-table.ts';

/** The cursor key's secret, as a Lambda reads it: from the Secrets Manager stand-in, one per test file. */
export const TEST_CURSOR_SECRET_ID = 'integration-test-cursor-secret';
let secrets: Promise<SecretsLocal> | undefined;
export const testSecrets = (): Promise<SecretsLocal> => {
  secrets ??= startSecretsLocal({ secrets: { [TEST_CURSOR_SECRET_ID]: 'integration-test-cursor-key' } });
  return secrets;
};

/** The webhook secrets key, as a Lambda uses it: in the KMS stand-in, one per test file. */
export const TEST_SECRETS_KEY_ARN = 'arn:aws:kms:us-east-1:000000000000:key/integration-test-webhook-secrets';
let kms: Promise<KmsLocal> | undefined;
export const testKms = (): Promise<KmsLocal> => {
  kms ??= startKmsLocal({ keys: { [TEST_SECRETS_KEY_ARN]: randomBytes(32) } });
  return kms;
};

/** Points the composition root at a new test table; returns the table. */
export const wireHandlersToTestTable = async () => {
  const table = await createTestTable();
  process.env.SECRETS_ENDPOINT = (await testSecrets()).endpoint;
  process.env.KMS_ENDPOINT = (await testKms()).endpoint;
  process.env.WEBHOOK_SECRETS_KEY_ARN = TEST_SECRETS_KEY_ARN;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.TABLE_NAME = table.tableName;
  process.env.DYNAMODB_ENDPOINT = table.endpoint;
  process.env.AWS_REGION = 'local';
  process.env.CURSOR_SECRET_ID = TEST_CURSOR_SECRET_ID;
  // Tests change the catalog and read at once; the cache's own behaviour has a unit test.
  process.env.SOLUTION_CACHE_MS = '0';
  resetConfig();
  resetDeps();
  // The user pool is another system: its adapter has its own tests against the local emulator.
  overrideDeps({ identityProvider: new MemoryIdentityProvider() });
  return table;
};

/** The deal world (demo orgs, a catalog) on the real adapters, with a settable clock. */
export const apiWorld = async (): Promise<World & { tableName: string }> => {
  const table = await wireHandlersToTestTable();
  const clock = settableClock();
  overrideDeps({ clock });
  return { ...(await seedWorld(getDeps(), clock.set)), tableName: table.tableName };
};
