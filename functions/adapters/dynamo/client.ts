import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { instrumentDynamo } from '../../observability.ts';
import { boundByDeadline, transport } from '../time-budget.ts';

export type DynamoOptions = { region: string; endpoint?: string };

export const createDocumentClient = ({ region, endpoint }: DynamoOptions): DynamoDBDocumentClient => {
  // Counts calls and consumed capacity for the request summary log line (observability.ts).
  const client = instrumentDynamo(
    new DynamoDBClient({
      region,
      // A single-table call answers in milliseconds; an attempt that hangs for seconds will not
      // answer. Three attempts fit the HTTP functions' 10 s, and the invocation's deadline bounds them.
      ...transport({ requestTimeoutMs: 3_000, maxAttempts: 3 }),
      ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }),
  );
  // Every call ends before the invocation does, so its outcome can still be recorded (time-budget.ts).
  return boundByDeadline(
    DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
  );
};
