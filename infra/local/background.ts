/**
 * Background work of the local runtime that the cloud runs on events: the stream poller (reads the
 * table's stream and feeds the same notification handler the DynamoDB event source would) and the
 * expiry timer (fires the same handler the EventBridge schedule would). Each later issue adds one
 * entry to `backgroundTasks`; the runtime starts them after seeding and stops them first on shutdown.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Deps } from '#domain/ports.ts';
import { expiryTimer } from './expiry-timer.ts';
import { streamPoller } from './stream-poller.ts';

export type BackgroundContext = {
  tableName: string;
  /** A DynamoDB client for DynamoDB Local (e.g. to describe the table's stream). */
  dynamo: DynamoDBClient;
  dynamoEndpoint: string;
  sesEndpoint: string;
  deps: () => Deps;
  log: (line: string) => void;
};

export type BackgroundTask = {
  name: string;
  /** Starts the task; resolves to the function that stops it (and waits for an in-flight run). */
  start: (context: BackgroundContext) => Promise<() => Promise<void>>;
};

export const backgroundTasks = (): BackgroundTask[] => [streamPoller, expiryTimer];
