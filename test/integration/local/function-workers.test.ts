/**
 * The local runtime's functions run in their own workers with exactly their declared environment
 * (functions/environment.ts) plus the explicit local-only set, so a variable the cloud does not
 * give a function is missing locally too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnvValues, EXPIRY_FUNCTION, type FunctionDefinition } from '#functions/environment.ts';
import { createControllableClock } from '#infra/local/clock.ts';
import {
  type FunctionWorkers,
  LOCAL_ONLY_VARIABLES,
  localEnvironment,
  startFunctionWorkers,
} from '#infra/local/functions.ts';
import { createTestTable } from '#test/support/test-table.ts';

let workers: FunctionWorkers;
const logs: string[] = [];
let values: EnvValues;
const clock = createControllableClock();

beforeAll(async () => {
  const table = await createTestTable();
  values = {
    TABLE_NAME: table.tableName,
    CURSOR_SECRET_ID: 'function-workers-test',
    ORIGIN_VERIFY: 'off',
    EMAIL_FROM: 'co-sell@host.example',
    APP_BASE_URL: 'https://app.example',
    EVENT_BUS_NAME: 'bus',
    SES_CONFIGURATION_SET: 'email',
    POWERTOOLS_METRICS_NAMESPACE: 'CoSell/test',
    ATTACHMENTS_BUCKET: 'attachments',
    ATTACHMENT_SCAN: 'none',
    USER_POOL_ID: 'local_userpool',
    TOKEN_URL: 'https://auth.example/oauth2/token',
    JWT_ISSUER: 'https://issuer.example',
    JWT_AUDIENCE: 'console',
    JWKS_URL: 'https://issuer.example/.well-known/jwks.json',
    WEBHOOK_SECRETS_KEY_ARN: 'arn:aws:kms:us-east-1:000000000000:key/test',
    EXPORT_FUNCTION_NAME: 'ExportDeals',
  };
  const endpoints = {
    cognito: 'http://127.0.0.1:9',
    dynamodb: table.endpoint,
    ses: 'http://127.0.0.1:9',
    eventBridge: 'http://127.0.0.1:9',
    secrets: 'http://127.0.0.1:9',
    kms: 'http://127.0.0.1:9',
    s3: 'http://127.0.0.1:9',
    lambda: 'http://127.0.0.1:9',
  };
  workers = startFunctionWorkers({
    environment: (fn) => localEnvironment(fn, values, endpoints),
    clock: clock.shared,
    log: (line) => logs.push(line),
  });
});
afterAll(() => workers?.stop());

const echo: FunctionDefinition = {
  id: 'EnvEcho',
  entry: 'test/support/fixtures/env-echo.ts',
  description: 'test fixture',
  environment: ['TABLE_NAME', 'APP_BASE_URL'],
};

describe('local function workers', () => {
  it('give a function exactly its declared variables and the local-only set, nothing of this process', async () => {
    process.env.SOMETHING_ONLY_THE_PARENT_HAS = 'x';
    const env = (await workers.invoke(echo, {})) as Record<string, string>;
    // Powertools sets its user-agent id when it loads, in Lambda as here.
    const setByTheFunction = ['AWS_SDK_UA_APP_ID'];
    const allowed = new Set<string>([...echo.environment, ...LOCAL_ONLY_VARIABLES, ...setByTheFunction]);
    expect(Object.keys(env).filter((name) => !allowed.has(name))).toEqual([]);
    expect(env).toMatchObject({ TABLE_NAME: values.TABLE_NAME, APP_BASE_URL: values.APP_BASE_URL });
    expect(env.CURSOR_SECRET_ID).toBeUndefined();
    delete process.env.SOMETHING_ONLY_THE_PARENT_HAS;
  });

  it('start a function once, on its first invocation, and keep it warm', async () => {
    const fn = { ...echo, id: 'EnvEchoWarm' };
    await workers.invoke(fn, {});
    await workers.invoke(fn, {});
    expect(logs.filter((line) => line.startsWith('cold start: EnvEchoWarm'))).toHaveLength(1);
  });

  it('follow the domain clock that /dev/clock moves, in every worker', async () => {
    const clockEcho = { ...echo, id: 'ClockEcho', entry: 'test/support/fixtures/clock-echo.ts' };
    const before = new Date((await workers.invoke(clockEcho, {})) as string);
    clock.advance('P30D');
    const after = new Date((await workers.invoke(clockEcho, {})) as string);
    clock.reset();
    expect(after.getTime() - before.getTime()).toBeGreaterThanOrEqual(30 * 24 * 3600_000);
  });

  it('run the expiry job with exactly its declared environment', async () => {
    const run = await workers.invoke(EXPIRY_FUNCTION, { source: 'test' });
    expect(run).toMatchObject({ expired: 0, reminded: 0 });
  });

  it('refuse a table call the function’s declared access does not grant, as IAM would, and report what it used', async () => {
    // Run as the deals' reads, which write nothing, then as the identity writes, which put members.
    const asDealsReads = { ...echo, id: 'DealsReads', entry: 'test/support/fixtures/table-writer.ts' };
    await expect(workers.invoke(asDealsReads, { pk: 'DEAL#worker-test' })).rejects.toThrow(
      'DealsReads is not authorized to perform dynamodb:PutItem on the table for DEAL#…',
    );
    await expect(workers.invoke(asDealsReads, { pk: 'USER#worker-test' })).rejects.toThrow(/not authorized/);
    expect(workers.tableRequests().get('DealsReads') ?? []).toEqual([]);
    const asIdentityWrites = { ...asDealsReads, id: 'IdentityWrites' };
    await expect(workers.invoke(asIdentityWrites, { pk: 'USER#worker-test' })).resolves.toBe('written');
    expect(workers.tableRequests().get('IdentityWrites')).toEqual([
      { action: 'PutItem', partition: 'USER#worker-test' },
    ]);
    const undeclared = { ...asDealsReads, id: 'NotDeployed' };
    await expect(workers.invoke(undeclared, { pk: 'USER#worker-test' })).rejects.toThrow(/not authorized/);
  });

  it('fail a function whose declaration lacks a variable it reads, as the cloud would', async () => {
    const withoutTable = {
      ...EXPIRY_FUNCTION,
      id: 'ExpireInvitationsWithoutTable',
      environment: EXPIRY_FUNCTION.environment.filter((name) => name !== 'TABLE_NAME'),
    };
    await expect(workers.invoke(withoutTable, { source: 'test' })).rejects.toThrow(
      'Missing environment variable TABLE_NAME',
    );
  });
});
