/**
 * Background work of the local runtime that the cloud runs on events: the stream pollers (read the
 * table's stream and feed the notification and webhook fan-out functions, as their DynamoDB event
 * sources would) and the timers (invoke the expiry and webhook delivery functions, as their
 * EventBridge schedules would). Both invoke their
 * function through its worker. The runtime starts them after seeding and stops them first on shutdown.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Deps } from '#domain/deps.ts';
import { expiryTimer } from './expiry-timer.ts';
import type { FunctionWorkers } from './functions.ts';
import { streamPoller, webhookStreamPoller } from './stream-poller.ts';
import { webhookTimer } from './webhook-timer.ts';

export type BackgroundContext = {
  tableName: string;
  /** A DynamoDB client for DynamoDB Local (e.g. to describe the table's stream). */
  dynamo: DynamoDBClient;
  dynamoEndpoint: string;
  sesEndpoint: string;
  deps: () => Deps;
  functions: FunctionWorkers;
  log: (line: string) => void;
  /** Where state that survives a restart lives (the stream pollers' positions); none in tests. */
  dataDir?: string;
};

export type BackgroundTask = {
  name: string;
  /** Starts the task; resolves to the function that stops it (and waits for an in-flight run). */
  start: (context: BackgroundContext) => Promise<() => Promise<void>>;
};

export const backgroundTasks = (): BackgroundTask[] => [
  streamPoller,
  webhookStreamPoller,
  expiryTimer,
  webhookTimer,
];
