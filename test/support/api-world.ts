/**
 * Handlers wired to the real adapters: a fresh table in the integration tier's DynamoDB Local and the
 * composition root pointed at it through the environment, as a Lambda would be.
 */
import { getDeps, overrideDeps, resetDeps } from '#functions/composition/deps.ts';
import { resetConfig } from '#functions/config.ts';
import { seedWorld, settableClock, type World } from './deal-world.ts';
import { MemoryIdentityProvider } from './memory/identity-provider.ts';
import { createTestTable } from './test-table.ts';

/** Points the composition root at a new test table; returns the table. */
export const wireHandlersToTestTable = async () => {
  const table = await createTestTable();
  process.env.TABLE_NAME = table.tableName;
  process.env.DYNAMODB_ENDPOINT = table.endpoint;
  process.env.AWS_REGION = 'local';
  process.env.CURSOR_SECRET = 'integration-test-cursor-secret';
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
