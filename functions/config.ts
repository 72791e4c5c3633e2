/**
 * Runtime configuration from the environment, read once when first needed (never at import time,
 * so the local runtime and tests can set the environment before the first request).
 */
export type Config = {
  tableName: string;
  region: string;
  /** Only set locally: DynamoDB Local's URL. In AWS the SDK's default endpoint is used. */
  dynamodbEndpoint?: string;
  cursorSecret: string;
  /** How long a warm function trusts a solution it read (registration eligibility); 0 turns caching off. */
  solutionCacheMs: number;
};

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
};

let cached: Config | undefined;

export const config = (): Config => {
  cached ??= {
    tableName: required('TABLE_NAME'),
    region: process.env.AWS_REGION ?? 'us-east-1',
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    cursorSecret: required('CURSOR_SECRET'),
    solutionCacheMs: Number(process.env.SOLUTION_CACHE_MS ?? 30_000),
  };
  return cached;
};

/** For the local runtime and tests that change the environment between runs in one process. */
export const resetConfig = (): void => {
  cached = undefined;
};
