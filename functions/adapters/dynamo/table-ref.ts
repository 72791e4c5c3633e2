import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What every DynamoDB adapter needs: the client and the one table's name. */
export type TableRef = { db: DynamoDBDocumentClient; tableName: string };
