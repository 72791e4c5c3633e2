/**
 * Runtime configuration from the environment. Each entry point reads only what it uses, when it
 * first needs it (never at import time): a function whose environment lacks a variable it does not
 * read must still work, because that is how it is deployed (functions/environment.ts declares
 * each function's variables).
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { EnvName } from './environment.ts';

/** The value of a variable this code path cannot work without. */
export const required = (name: EnvName): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
};

/** The table every function works on, and (locally only) where DynamoDB Local listens. */
export type TableConfig = {
  tableName: string;
  region: string;
  /** Only set locally: DynamoDB Local's URL. In AWS the SDK's default endpoint is used. */
  dynamodbEndpoint?: string;
};

let table: TableConfig | undefined;

export const tableConfig = (): TableConfig => {
  table ??= {
    tableName: required('TABLE_NAME'),
    region: process.env.AWS_REGION ?? 'us-east-1',
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
  };
  return table;
};

/**
 * How long a warm function keeps the cursor keys it read: a rotated secret reaches every function
 * within this time, and until then the others still accept the keys they knew.
 */
export const CURSOR_KEYS_MAX_AGE_SECONDS = 300;

/** The HMAC keys of list cursors: new cursors are signed with `current`; either one verifies. */
export type CursorKeys = { current: string; previous?: string };

/** Secrets Manager's own stages of a secret's versions: what a rotation moves. */
const SECRET_STAGES = { current: 'AWSCURRENT', previous: 'AWSPREVIOUS' } as const;

let providers: Record<keyof typeof SECRET_STAGES, SecretsProvider> | undefined;
/** One provider per stage: Powertools caches by name alone, so one provider would mix the two. */
const secretsProviders = () => {
  if (!providers) {
    const client = new SecretsManagerClient({
      region: process.env.AWS_REGION ?? 'us-east-1',
      // Only set locally: the runtime's Secrets Manager stand-in (infra/local/secrets-local.ts).
      ...(process.env.SECRETS_ENDPOINT ? { endpoint: process.env.SECRETS_ENDPOINT } : {}),
    });
    providers = {
      current: new SecretsProvider({ awsSdkV3Client: client }),
      previous: new SecretsProvider({ awsSdkV3Client: client }),
    };
  }
  return providers;
};

let noPrevious: { until: number } | undefined;

const isMissingVersion = (error: unknown): boolean =>
  (error as { cause?: { name?: string } })?.cause?.name === 'ResourceNotFoundException';

/**
 * The cursor keys, read from Secrets Manager at run time (`CURSOR_SECRET_ID`) and cached for
 * CURSOR_KEYS_MAX_AGE_SECONDS; read only by routes that make or check a cursor. A secret never
 * rotated has no previous version, and that answer is cached as long.
 */
export const cursorKeys = async (): Promise<CursorKeys> => {
  const id = required('CURSOR_SECRET_ID');
  const { current, previous } = secretsProviders();
  const options = { maxAge: CURSOR_KEYS_MAX_AGE_SECONDS };
  const currentKey = await current.get(id, options);
  if (typeof currentKey !== 'string' || currentKey === '') {
    throw new Error(`The secret ${id} has no current string value`);
  }
  if (noPrevious && noPrevious.until > Date.now()) return { current: currentKey };
  try {
    const previousKey = await previous.get(id, {
      ...options,
      sdkOptions: { VersionStage: SECRET_STAGES.previous },
    });
    return typeof previousKey === 'string' && previousKey !== ''
      ? { current: currentKey, previous: previousKey }
      : { current: currentKey };
  } catch (error) {
    if (!isMissingVersion(error)) throw error;
    noPrevious = { until: Date.now() + CURSOR_KEYS_MAX_AGE_SECONDS * 1000 };
    return { current: currentKey };
  }
};

/**
 * The value the console's distribution puts in the origin header of every request it forwards, or
 * `off` where no distribution stands in front (functions/http/origin-check.ts).
 */
export const originVerify = (): string => required('ORIGIN_VERIFY');

/**
 * `guardduty`: GuardDuty Malware Protection for S3 scans the bucket and tags each object with its
 * verdict, and a file is handed out only once tagged clean. `none`: no scanner runs (locally), so an
 * uploaded file counts as clean.
 */
export const SCAN_MODES = ['none', 'guardduty'] as const;
export type ScanMode = (typeof SCAN_MODES)[number];

/** The attachments bucket, and (locally only) where the S3 emulator listens. */
export type BucketConfig = { bucket: string; region: string; scan: ScanMode; endpoint?: string };

let bucket: BucketConfig | undefined;

export const bucketConfig = (): BucketConfig => {
  if (!bucket) {
    const scan = required('ATTACHMENT_SCAN');
    if (!(SCAN_MODES as readonly string[]).includes(scan)) {
      throw new Error(`ATTACHMENT_SCAN must be one of ${SCAN_MODES.join(', ')}, not "${scan}"`);
    }
    bucket = {
      bucket: required('ATTACHMENTS_BUCKET'),
      region: process.env.AWS_REGION ?? 'us-east-1',
      scan: scan as ScanMode,
      ...(process.env.S3_ENDPOINT ? { endpoint: process.env.S3_ENDPOINT } : {}),
    };
  }
  return bucket;
};

/** The functions that run background jobs, and (locally only) where the Lambda stand-in listens. */
export const backgroundJobsConfig = () => ({
  exportFunction: required('EXPORT_FUNCTION_NAME'),
  region: process.env.AWS_REGION ?? 'us-east-1',
  ...(process.env.LAMBDA_ENDPOINT ? { endpoint: process.env.LAMBDA_ENDPOINT } : {}),
});

/** How long a warm function trusts a solution it read (registration eligibility); 0 turns caching off. */
export const solutionCacheMs = (): number => Number(process.env.SOLUTION_CACHE_MS ?? 30_000);

/** For tests that change the environment between runs in one process. */
export const resetConfig = (): void => {
  table = undefined;
  bucket = undefined;
  providers = undefined;
  noPrevious = undefined;
};

/** The identity provider's user pool that holds people and API clients, and where clients get tokens. */
export const identityProviderConfig = () => ({
  userPoolId: required('USER_POOL_ID'),
  tokenUrl: required('TOKEN_URL'),
  region: process.env.AWS_REGION ?? 'us-east-1',
  ...(process.env.COGNITO_ENDPOINT ? { endpoint: process.env.COGNITO_ENDPOINT } : {}),
});

/** The KMS key that seals webhook signing secrets, and (locally only) where its stand-in listens. */
export const webhookSecretsKeyConfig = () => ({
  keyId: required('WEBHOOK_SECRETS_KEY_ARN'),
  region: process.env.AWS_REGION ?? 'us-east-1',
  ...(process.env.KMS_ENDPOINT ? { endpoint: process.env.KMS_ENDPOINT } : {}),
});
