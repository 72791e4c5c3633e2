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

/** How long a warm function trusts a solution it read (registration eligibility); 0 turns caching off. */
export const solutionCacheMs = (): number => Number(process.env.SOLUTION_CACHE_MS ?? 30_000);

/** For tests that change the environment between runs in one process. */
export const resetConfig = (): void => {
  table = undefined;
  cursor = undefined;
};
