/**
 * Background work of the local runtime that the cloud runs on events: the stream poller (reads the
 * table's stream and feeds the notification function, as the DynamoDB event source would) and the
 * expiry timer (invokes the expiry function, as the EventBridge schedule would). Both invoke their
 * function through its worker. The runtime starts them after seeding and stops them first on shutdown.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Deps } from '#domain/ports.ts';
import { expiryTimer } from './expiry-timer.ts';
import type { FunctionWorkers } from './functions.ts';
import { streamPoller } from './stream-poller.ts';

export type BackgroundContext = {
  tableName: string;
  /** A DynamoDB client for DynamoDB Local (e.g. to describe the table's stream). */
  dynamo: DynamoDBClient;
  dynamoEndpoint: string;
  sesEndpoint: string;
  deps: () => Deps;
  functions: FunctionWorkers;
  log: (line: string) => void;
};

export type BackgroundTask = {
  name: string;
  /** Starts the task; resolves to the function that stops it (and waits for an in-flight run). */
  start: (context: BackgroundContext) => Promise<() => Promise<void>>;
};

export const backgroundTasks = (): BackgroundTask[] => [streamPoller, expiryTimer];
