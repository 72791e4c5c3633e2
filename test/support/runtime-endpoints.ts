/**
 * Where a test tier's local runtime answers, as its global setup hands it to the test files
 * (`inject('localRuntime')`): everything a test reaches over the network or the file system.
 */
export type RuntimeEndpoints = {
  /** The API's base URL, e.g. http://localhost:41234 */
  url: string;
  port: number;
  dynamoEndpoint: string;
  tableName: string;
  sesEndpoint: string;
  /** `GET` → `{ emails: [...] }`: every email the runtime sent, to anyone. */
  emailStoreUrl: string;
  inboxUrl: string;
  s3Endpoint: string;
  attachmentsBucket: string;
  /** The domain events published, one JSON line each. */
  eventsFile: string;
  /** Every line the runtime logged (requests with their handler, failures with stacks). */
  logFile: string;
  /** The key the runtime signs and verifies tokens with, for tests that make unusual tokens. */
  tokenKeyFile: string;
};

declare module 'vitest' {
  export interface ProvidedContext {
    localRuntime: RuntimeEndpoints;
  }
}
