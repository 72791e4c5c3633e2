/**
 * Operator script: onboards an organization (the host org first, then partners) with its first
 * org-admin, through the same `onboardOrg` use case as the local `POST /dev/orgs`, against the real
 * table. Reads TABLE_NAME and AWS_REGION (and DYNAMODB_ENDPOINT for DynamoDB Local) from the
 * environment; credentials come from the usual AWS SDK chain (profile, SSO, env).
 *
 *   TABLE_NAME=... AWS_REGION=eu-west-1 npx tsx infra/scripts/onboard-org.ts \
 *     --kind host --name "Host Inc" --admin-sub <cognito sub> --admin-email a@host.example --admin-name "Ada Admin"
 */
import { parseArgs } from 'node:util';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import type { Capability, OrgKind } from '#domain/kernel/actor.ts';
import { DomainError, ValidationError } from '#domain/kernel/errors.ts';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { DynamoOrgStore } from '#functions/adapters/dynamo/org-store.ts';
import { systemClock, ulidIds } from '#functions/adapters/system.ts';

const USAGE = `Usage: TABLE_NAME=<table> AWS_REGION=<region> npx tsx infra/scripts/onboard-org.ts \\
  --kind host|partner --name <org name> [--capability solution-assessment] \\
  --admin-sub <sub> --admin-email <email> --admin-name <name>`;

const fail = (message: string): never => {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
};

const { values } = parseArgs({
  options: {
    kind: { type: 'string' },
    name: { type: 'string' },
    capability: { type: 'string', multiple: true },
    'admin-sub': { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-name': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const tableName = process.env.TABLE_NAME ?? fail('Set TABLE_NAME (the TableName output of the Api stack).');
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? fail('Set AWS_REGION.');
const endpoint = process.env.DYNAMODB_ENDPOINT || undefined;
const required = (key: 'kind' | 'name' | 'admin-sub' | 'admin-email' | 'admin-name'): string =>
  values[key] ?? fail(`Missing --${key}.`);

const db = createDocumentClient({ region, ...(endpoint ? { endpoint } : {}) });
try {
  const org = await onboardOrg(
    { clock: systemClock, ids: ulidIds, orgs: new DynamoOrgStore({ db, tableName }) },
    {
      name: required('name'),
      kind: required('kind') as OrgKind,
      capabilities: (values.capability ?? []) as Capability[],
      admin: { sub: required('admin-sub'), email: required('admin-email'), name: required('admin-name') },
    },
  );
  console.log(JSON.stringify(org, null, 2));
} catch (error) {
  if (!(error instanceof DomainError)) throw error;
  const details =
    error instanceof ValidationError ? error.errors.map((e) => `\n  ${e.path}: ${e.message}`) : [];
  console.error(`${error.code}: ${error.message}${details.join('')}`);
  process.exitCode = 1;
} finally {
  db.destroy();
}
