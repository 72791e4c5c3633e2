/**
 * Runtime configuration from the environment. Each entry point reads only what it uses, when it
 * first needs it (never at import time): a function whose environment lacks a variable it does not
 * read must still work, because that is how it is deployed (functions/environment.ts declares
 * each function's variables).
 */
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
let cursor: string | undefined;

export const tableConfig = (): TableConfig => {
  table ??= {
    tableName: required('TABLE_NAME'),
    region: process.env.AWS_REGION ?? 'us-east-1',
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
  };
  return table;
};

/** The HMAC key of list cursors: read only by routes that make or check a cursor. */
export const cursorSecret = (): string => {
  cursor ??= required('CURSOR_SECRET');
  return cursor;
};

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

/** How long a warm function trusts a solution it read (registration eligibility); 0 turns caching off. */
export const solutionCacheMs = (): number => Number(process.env.SOLUTION_CACHE_MS ?? 30_000);

/** For tests that change the environment between runs in one process. */
export const resetConfig = (): void => {
  table = undefined;
  cursor = undefined;
  bucket = undefined;
};

/** The identity provider's user pool that holds people and API clients, and where clients get tokens. */
export const identityProviderConfig = () => ({
  userPoolId: required('USER_POOL_ID'),
  tokenUrl: required('TOKEN_URL'),
  region: process.env.AWS_REGION ?? 'us-east-1',
  ...(process.env.COGNITO_ENDPOINT ? { endpoint: process.env.COGNITO_ENDPOINT } : {}),
});
