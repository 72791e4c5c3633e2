import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { instrumentDynamo } from '../../observability.ts';
import { boundByDeadline } from '../time-budget.ts';

export type DynamoOptions = { region: string; endpoint?: string };

export const createDocumentClient = ({ region, endpoint }: DynamoOptions): DynamoDBDocumentClient => {
  // Counts calls and consumed capacity for the request summary log line (observability.ts).
  const client = instrumentDynamo(
    new DynamoDBClient({
      region,
      ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }),
  );
  // Every call ends before the invocation does, so its outcome can still be recorded (time-budget.ts).
  // No fixed per-attempt timeout: a contended transaction may take seconds (DynamoDB Local on a busy
  // machine more), and the deadline already bounds the calls of every HTTP request.
  return boundByDeadline(
    DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
  );
};
