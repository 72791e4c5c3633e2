/**
 * The composition root: wires the real adapters behind the domain's ports, once per process
 * (module scope survives between warm invocations). The local runtime and tests may replace single
 * ports (the clock, most often) through `overrideDeps`; the handlers never know the difference.
 */
import type { Deps } from '#domain/ports.ts';
import { createDocumentClient } from './adapters/dynamo/client.ts';
import { DynamoCustomerStore } from './adapters/dynamo/customer-store.ts';
import { DynamoDealStore } from './adapters/dynamo/deal-store.ts';
import { DynamoMembershipStore, DynamoOrgStore } from './adapters/dynamo/org-store.ts';
import { DynamoSolutionStore } from './adapters/dynamo/solution-store.ts';
import { systemClock, ulidIds } from './adapters/system.ts';
import { config } from './config.ts';

let deps: Deps | undefined;
let overrides: Partial<Deps> = {};

const build = (): Deps => {
  const { tableName, region, dynamodbEndpoint } = config();
  const db = createDocumentClient({ region, endpoint: dynamodbEndpoint });
  const table = { db, tableName };
  return {
    clock: systemClock,
    ids: ulidIds,
    orgs: new DynamoOrgStore(table),
    memberships: new DynamoMembershipStore(table),
    customers: new DynamoCustomerStore(table),
    solutions: new DynamoSolutionStore(table),
    deals: new DynamoDealStore(table),
  };
};

export const getDeps = (): Deps => {
  deps ??= { ...build(), ...overrides };
  return deps;
};

/** Replaces some ports for every later request in this process (local runtime, tests). */
export const overrideDeps = (partial: Partial<Deps>): void => {
  overrides = { ...overrides, ...partial };
  deps = undefined;
};

/** Forgets the wiring, so the next request builds it from the current environment. */
export const resetDeps = (): void => {
  overrides = {};
  deps = undefined;
};
