/**
 * The one declaration of every function's environment: which variables each function of the app
 * gets. The CDK stack sets exactly these on each Lambda (infra/stacks/api-stack.ts), and the local
 * runtime starts each function with exactly these (infra/local/functions.ts), so a variable the
 * cloud lacks is missing locally too. Values differ per place; the names do not.
 */
import { routeBucketAccess, routeExportAccess } from './bucket-access.ts';
import { functionOfRoute, HTTP_FUNCTIONS, type HttpFunction, type RouteDefinition } from './http/routes.ts';

/** Every variable the app's own code (or Powertools) reads, set by whoever deploys a function. */
export const ENV_NAMES = [
  'NODE_OPTIONS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'TABLE_NAME',
  'CURSOR_SECRET_ID',
  'ORIGIN_VERIFY',
  'EMAIL_FROM',
  'APP_BASE_URL',
  'EVENT_BUS_NAME',
  'SES_CONFIGURATION_SET',
  'ATTACHMENTS_BUCKET',
  'ATTACHMENT_SCAN',
  'USER_POOL_ID',
  'TOKEN_URL',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWKS_URL',
  'WEBHOOK_SECRETS_KEY_ARN',
  'EXPORT_FUNCTION_NAME',
] as const;
export type EnvName = (typeof ENV_NAMES)[number];

/** The same everywhere: stack traces through source maps, and the Powertools service name. */
export const FIXED_ENV = {
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'co-sell-referrals',
} as const satisfies Partial<Record<EnvName, string>>;

/** The values a deployment (a CDK stage, the local runtime) gives the variables it must set. */
export type EnvValues = Readonly<Record<Exclude<EnvName, keyof typeof FIXED_ENV>, string>>;

export type FunctionDefinition = {
  /** CloudFormation-safe and stable: the construct id and the local worker's name. */
  id: string;
  /** The handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  environment: readonly EnvName[];
  /**
   * What the function does with the webhook secrets key (KMS): `encrypt` seals signing secrets
   * (the routes that write them), `decrypt` opens them (the delivery job, to sign). Each is granted
   * only its own action, and gets the key's ARN in WEBHOOK_SECRETS_KEY_ARN.
   */
  secretsKey?: SecretsKeyUse;
};

export type SecretsKeyUse = 'encrypt' | 'decrypt';

const BASE: readonly EnvName[] = [
  'NODE_OPTIONS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'TABLE_NAME',
];

/** The routes that reach the attachments bucket (functions/bucket-access.ts grants what each does). */
const BUCKET: readonly EnvName[] = ['ATTACHMENTS_BUCKET', 'ATTACHMENT_SCAN'];

/** The routes that manage API clients or people's sign-ins reach the identity provider's pool. */
const IDENTITY_PROVIDER: readonly EnvName[] = ['USER_POOL_ID', 'TOKEN_URL'];

/** The functions that use the webhook secrets key get its ARN. */
const SECRETS_KEY: readonly EnvName[] = ['WEBHOOK_SECRETS_KEY_ARN'];

/**
 * A function of the HTTP API gets the origin check's value (every request is checked) and what any
 * of its routes needs: the cursor key, the bucket, the identity provider, the secrets key.
 */
const httpFunction = (fn: HttpFunction): FunctionDefinition => {
  const seals = fn.routes.some((route) => route.sealsSecrets);
  return {
    id: fn.id,
    entry: fn.entry,
    description: `The ${fn.context} context's ${fn.kind} (${fn.routes.length} routes of the HTTP API)`,
    environment: [
      ...BASE,
      'ORIGIN_VERIFY',
      ...(fn.routes.some((route) => route.cursors) ? (['CURSOR_SECRET_ID'] as const) : []),
      ...(fn.routes.some((route) => routeBucketAccess(route).length + routeExportAccess(route).length > 0)
        ? BUCKET
        : []),
      ...(fn.routes.some((route) => route.startsJobs) ? (['EXPORT_FUNCTION_NAME'] as const) : []),
      ...(fn.routes.some((route) => route.identityProvider) ? IDENTITY_PROVIDER : []),
      ...(seals ? SECRETS_KEY : []),
    ],
    ...(seals ? { secretsKey: 'encrypt' as const } : {}),
  };
};

export const HTTP_FUNCTION_DEFINITIONS: readonly FunctionDefinition[] = HTTP_FUNCTIONS.map(httpFunction);

/** The deployed function that serves a route. */
export const routeFunction = (route: RouteDefinition): FunctionDefinition => {
  const { id } = functionOfRoute(route);
  const found = HTTP_FUNCTION_DEFINITIONS.find((fn) => fn.id === id);
  if (!found) throw new Error(`No function definition for ${id}`);
  return found;
};

export const EXPIRY_FUNCTION: FunctionDefinition = {
  id: 'ExpireInvitations',
  entry: 'functions/scheduled/expire-invitations.ts',
  description: 'Reminds and expires unanswered invitations',
  environment: BASE,
};

export const NOTIFICATION_FUNCTION: FunctionDefinition = {
  id: 'SendNotifications',
  entry: 'functions/stream/send-notifications.ts',
  description: 'Publishes outbox events to EventBridge and sends their notification emails',
  environment: [...BASE, 'EMAIL_FROM', 'APP_BASE_URL', 'EVENT_BUS_NAME', 'SES_CONFIGURATION_SET'],
};

export const WEBHOOK_FAN_OUT_FUNCTION: FunctionDefinition = {
  id: 'DispatchWebhooks',
  entry: 'functions/stream/dispatch-webhooks.ts',
  description: 'Turns outbox events into pending webhook deliveries',
  environment: BASE,
};

export const WEBHOOK_DELIVERY_FUNCTION: FunctionDefinition = {
  id: 'DeliverWebhooks',
  entry: 'functions/scheduled/deliver-webhooks.ts',
  description: 'Sends due webhook deliveries and retries failed ones',
  environment: [...BASE, 'EMAIL_FROM', 'APP_BASE_URL', 'SES_CONFIGURATION_SET', ...SECRETS_KEY],
  secretsKey: 'decrypt',
};

/**
 * Writes one CSV export of a deal list (invoked asynchronously by `POST /v1/deals/exports`): it reads
 * the list like the list route, and writes the file to the bucket's export prefix.
 */
export const EXPORT_FUNCTION: FunctionDefinition = {
  id: 'ExportDeals',
  entry: 'functions/jobs/export-deals.ts',
  description: 'Writes a CSV export of a deal list to the bucket',
  environment: [...BASE, ...BUCKET],
};

/** The user pool's pre-token-generation trigger (deployed only with the stack's own user pool). */
export const TOKEN_CLAIMS_FUNCTION: FunctionDefinition = {
  id: 'TokenClaims',
  entry: 'functions/triggers/pre-token-generation.ts',
  description: "Puts the caller's org, roles and locations into each token the user pool issues",
  environment: BASE,
};

/**
 * The HTTP API's Lambda authorizer: verifies people's ID tokens and API clients' access tokens
 * against the issuer's keys. It reads no table.
 */
export const AUTHORIZER_FUNCTION: FunctionDefinition = {
  id: 'Authorize',
  entry: 'functions/authorizer/authorize.ts',
  description:
    "Verifies the bearer token of every member route (people's ID tokens, API clients' access tokens)",
  environment: ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWKS_URL'],
};

/**
 * Every function of the app: the HTTP API's, its authorizer, the expiry job, the stream consumers,
 * the webhook delivery job, the export job, the user pool's token trigger.
 */
export const FUNCTIONS: readonly FunctionDefinition[] = [
  ...HTTP_FUNCTION_DEFINITIONS,
  AUTHORIZER_FUNCTION,
  EXPIRY_FUNCTION,
  NOTIFICATION_FUNCTION,
  WEBHOOK_FAN_OUT_FUNCTION,
  WEBHOOK_DELIVERY_FUNCTION,
  EXPORT_FUNCTION,
  TOKEN_CLAIMS_FUNCTION,
];

/**
 * Exactly the declared variables of `fn`, with these values. A declared variable without a value
 * is an error, not an omission: the function would fail on its first invocation.
 */
export const environmentOf = (fn: FunctionDefinition, values: Partial<EnvValues>): Record<string, string> => {
  const all: Partial<Record<EnvName, string>> = { ...values, ...FIXED_ENV };
  return Object.fromEntries(
    fn.environment.map((name) => {
      const value = all[name];
      if (value === undefined) throw new Error(`${fn.id} declares ${name}, but no value was given for it`);
      return [name, value];
    }),
  );
};

/**
 * The cold start's check in a Lambda execution environment: the function starts only with every
 * variable it declares set, and otherwise fails its initialization naming each one missing. Each
 * value is still read where it is used (functions/config.ts), often only on some routes or events;
 * without this check a deployment that lost one (the bucket, the scan mode, the SES configuration
 * set, the metrics namespace) would fail only when that path first ran, or never visibly at all.
 * Outside Lambda (a test that imports a handler; the local runtime, whose workers get
 * `environmentOf`'s complete set or do not start) nothing is checked here.
 */
export const checkDeclaredEnvironment = (
  fn: FunctionDefinition,
  env: Readonly<Record<string, string | undefined>> = process.env,
): void => {
  if (env.AWS_LAMBDA_FUNCTION_NAME === undefined) return;
  const missing = fn.environment.filter((name) => !env[name]);
  if (missing.length === 0) return;
  throw new Error(
    `Missing environment variable ${missing.join(', ')}: ${fn.id} declares it in ` +
      'functions/environment.ts and cannot start without it (the stack sets every declared variable).',
  );
};
