/**
 * Operator commands: `npm run ops -- <command>`. Runs on the operator's machine with the operator's
 * own AWS credentials (the usual SDK chain), not a function's role, against the table named by
 * `--table` (the Data stack's `TableName` output) or TABLE_NAME; `--endpoint` (or
 * DYNAMODB_ENDPOINT) points it at the local runtime's DynamoDB Local.
 *
 *   redrive [--consumer SendNotifications|DispatchWebhooks] [--dry-run]
 *     Runs every parked outbox event through its consumer's handler again and removes the parked
 *     item once it succeeds (docs/observability.md). The handler runs here, in this process, so
 *     this process needs the consumer's environment (functions/environment.ts): the command names
 *     any variable missing.
 */
import { parseArgs } from 'node:util';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import { DynamoParkedRecords } from '#functions/adapters/dynamo/parked-records.ts';
import { FIXED_ENV, FUNCTIONS } from '#functions/environment.ts';
import { CONSUMERS } from '#functions/stream/parking.ts';
import { describeOutcomes, redrive, type StreamHandler } from './redrive.ts';

const USAGE = `Usage: npm run ops -- redrive [--consumer ${Object.values(CONSUMERS).join('|')}] [--dry-run]
    [--table <TableName output>] [--region <region>] [--endpoint <DynamoDB Local URL>]`;

const fail = (message: string): never => {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    consumer: { type: 'string' },
    'dry-run': { type: 'boolean' },
    table: { type: 'string' },
    region: { type: 'string' },
    endpoint: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals[0] !== 'redrive' || positionals.length > 1) fail('The one command is `redrive`.');

const known: readonly string[] = Object.values(CONSUMERS);
if (values.consumer && !known.includes(values.consumer)) {
  fail(`No consumer parks as "${values.consumer}"; the consumers are ${known.join(' and ')}.`);
}
const tableName =
  values.table ??
  process.env.TABLE_NAME ??
  fail('Name the table: --table (the Data stack output TableName).');
const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
const endpoint = values.endpoint ?? (process.env.DYNAMODB_ENDPOINT || undefined);
// The handlers read their table from the environment, as in the function.
Object.assign(process.env, { TABLE_NAME: tableName, AWS_REGION: region, ...FIXED_ENV });
if (endpoint) process.env.DYNAMODB_ENDPOINT = endpoint;

const consumers = values.consumer ? [values.consumer] : known;
if (!values['dry-run']) {
  const missing = FUNCTIONS.filter((fn) => consumers.includes(fn.id)).flatMap((fn) =>
    fn.environment.filter((name) => !process.env[name]).map((name) => `${fn.id}: ${name}`),
  );
  if (missing.length > 0) {
    fail(
      `The handlers run here and need their function's environment; set ${missing.join(', ')} ` +
        '(in AWS: aws lambda get-function-configuration --function-name <function> --query Environment).',
    );
  }
}

const modules: Record<string, () => Promise<{ handler: StreamHandler }>> = {
  [CONSUMERS.notifications]: () => import('#functions/stream/send-notifications.ts'),
  [CONSUMERS.webhookFanOut]: () => import('#functions/stream/dispatch-webhooks.ts'),
};
const handlers: Record<string, StreamHandler> = {};
for (const name of consumers) {
  const load = modules[name];
  if (load) handlers[name] = (await load()).handler;
}

const db = createDocumentClient({ region, ...(endpoint ? { endpoint } : {}) });
try {
  const outcomes = await redrive({
    store: new DynamoParkedRecords({ db, tableName }),
    handlers,
    ...(values.consumer ? { consumer: values.consumer } : {}),
    dryRun: values['dry-run'] ?? false,
    region,
  });
  for (const line of describeOutcomes(outcomes)) console.log(line);
  process.exitCode = outcomes.some((o) => o.result === 'failed') ? 1 : 0;
} finally {
  db.destroy();
}
