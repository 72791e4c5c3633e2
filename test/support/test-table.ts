import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient } from '#functions/adapters/dynamo/client.ts';
import type { TableRef } from '#functions/adapters/dynamo/table-ref.ts';
import { ensureTable } from '#infra/local/table-schema.ts';

let counter = 0;

/**
 * A fresh table (same definition as the CDK stack) in the integration tier's DynamoDB Local, so test
 * files never see each other's items.
 */
export const createTestTable = async (): Promise<TableRef & { endpoint: string }> => {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${process.pid}-${Date.now()}-${counter++}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, tableName);
  client.destroy();
  return { db: createDocumentClient({ region: 'local', endpoint }), tableName, endpoint };
};
