/**
 * Logs, metrics and DynamoDB instrumentation for every function (Powertools for AWS Lambda).
 *
 * - `logger`: JSON lines. Each HTTP request appends its API request id, route and (once the caller
 *   is known) org id; never bodies, emails, names or token subjects.
 * - `metrics`: CloudWatch embedded metric format in the `CoSell/<stage>` namespace. Business metrics are
 *   emitted here in the functions layer (the domain imports no Powertools): route outcomes by the
 *   HTTP middleware, domain events and emails by the notification consumer, expiries by the job.
 * - `instrumentDynamo`: a client middleware that counts DynamoDB calls and the capacity they
 *   consumed; the request summary line logs them.
 *
 * Outside Lambda (local runtime, tests) metrics are off and the log level is WARN unless
 * `POWERTOOLS_METRICS_DISABLED` / `LOG_LEVEL` say otherwise, so local output stays readable.
 *
 * Why no Powertools Tracer here: functions already run with X-Ray active tracing (one segment per
 * invocation). Subsegments per SDK call need `aws-xray-sdk-core`, which adds ~110 KB minified to
 * every bundle (158 → ~285 KB, over the 250 KB budget) and ~25 ms of cold import; the DynamoDB
 * timings and capacity this module logs per request answer the same question. See docs/benchmarks.md.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { required } from './config.ts';

export const SERVICE_NAME = 'co-sell-referrals';
/**
 * The base namespace of the business metrics. The CDK stack sets `POWERTOOLS_METRICS_NAMESPACE` to
 * `CoSell/<stage>` on every function, so dev and prod metrics never mix in one account.
 */
export const METRICS_NAMESPACE = 'CoSell';

const inLambda = (): boolean => process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;

/** One logger for every function: JSON lines with the request id; never log bodies or personal data. */
export const logger = new Logger({
  serviceName: SERVICE_NAME,
  logLevel: (process.env.LOG_LEVEL ?? (inLambda() ? 'INFO' : 'WARN')) as LogLevel,
});

let metrics: Metrics | undefined;
/**
 * The business metrics, made when the first one is written: their namespace is required there (a
 * function deployed without it would write into Powertools' default namespace, unnoticed).
 */
const businessMetrics = (): Metrics => {
  metrics ??= new Metrics({ namespace: required('POWERTOOLS_METRICS_NAMESPACE'), serviceName: SERVICE_NAME });
  return metrics;
};

/** Metrics are written in Lambda, or wherever POWERTOOLS_METRICS_DISABLED is set to a false value. */
export const metricsEnabled = (): boolean => {
  const flag = process.env.POWERTOOLS_METRICS_DISABLED?.trim().toLowerCase();
  if (flag === undefined || flag === '') return inLambda();
  return !['1', 'true', 'y', 'yes', 'on'].includes(flag);
};

/** The business metrics (names as they appear in CloudWatch). */
export const METRIC = {
  dealsCreated: 'DealsCreated',
  invitationsSent: 'InvitationsSent',
  invitationsAnswered: 'InvitationsAnswered',
  invitationsExpired: 'InvitationsExpired',
  emailsSent: 'EmailsSent',
  emailsFailed: 'EmailsFailed',
  emailsRejected: 'EmailsRejected',
  domainEvents: 'DomainEvents',
  expiryJobFailures: 'ExpiryJobFailures',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Writes one metric as its own EMF line, with its own dimensions (besides `service`). */
export const recordMetric = (name: MetricName, value = 1, dimensions: Record<string, string> = {}): void => {
  if (!metricsEnabled() || value <= 0) return;
  const single = businessMetrics().singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  single.addMetric(name, MetricUnit.Count, value);
};

/** A business fact a route's success stands for; routes name theirs in the route table. */
export type RouteMetric = { name: MetricName; dimensions?: Record<string, string> };

/** Counts a route's outcome when it is a business fact (a 2xx of a route that names a metric). */
export const recordRouteOutcome = (route: { metric?: RouteMetric } | undefined, status: number): void => {
  const metric = route?.metric;
  if (metric && status >= 200 && status < 300) recordMetric(metric.name, 1, metric.dimensions);
};

/**
 * For the notification consumer, which sees every domain event: one `DomainEvents` count per event,
 * dimensioned by its type (`deal.created`, `invitation.expired`, ...).
 */
export const recordEvent = (type: string): void => recordMetric(METRIC.domainEvents, 1, { eventType: type });

/** For the notification consumer: one email handed to SES, or one that failed to send. */
export const recordEmail = (outcome: 'sent' | 'failed'): void =>
  recordMetric(outcome === 'sent' ? METRIC.emailsSent : METRIC.emailsFailed);

/** For the expiry job: how many invitations one run expired. */
export const recordExpiries = (count: number): void => recordMetric(METRIC.invitationsExpired, count);

// ---- DynamoDB instrumentation ----

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

/** What the DynamoDB client did since the last `takeDynamoStats()`. */
export type DynamoStats = {
  /** Command names in call order, e.g. `GetItemCommand`. */
  calls: string[];
  readUnits: number;
  writeUnits: number;
  /** Capacity units DynamoDB did not split into reads and writes. */
  units: number;
  ms: number;
};

const emptyStats = (): DynamoStats => ({ calls: [], readUnits: 0, writeUnits: 0, units: 0, ms: 0 });
let stats = emptyStats();

/**
 * Returns the calls since the last take and starts a new tally. A Lambda serves one request at a
 * time, so there it is exactly one request's work; the local gateway runs requests concurrently in
 * one process, where it sums whatever ran in between.
 */
export const takeDynamoStats = (): DynamoStats => {
  const taken = stats;
  stats = emptyStats();
  return taken;
};

/**
 * Sees every DynamoDB call of instrumented clients before it is sent (and may return a function that
 * sees its output). Only for the benchmarks, which record what each endpoint sends; unset in functions.
 */
export type DynamoCallObserver = (
  command: string,
  input: object,
) => ((output: object) => void) | undefined | Promise<((output: object) => void) | undefined>;

let observer: DynamoCallObserver | undefined;

export const observeDynamoCalls = (next: DynamoCallObserver | undefined): void => {
  observer = next;
};

/** The observer set in this thread, if any (the local runtime forwards its workers' calls to it). */
export const dynamoCallObserver = (): DynamoCallObserver | undefined => observer;

/** The commands the application sends that report consumed capacity (it never scans). */
const CAPACITY_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);

const addCapacity = (capacity: Capacity | Capacity[] | undefined): void => {
  for (const entry of [capacity ?? []].flat()) {
    const read = entry.ReadCapacityUnits ?? 0;
    const write = entry.WriteCapacityUnits ?? 0;
    stats.readUnits += read;
    stats.writeUnits += write;
    if (read === 0 && write === 0) stats.units += entry.CapacityUnits ?? 0;
  }
};

type Stack = {
  add: (
    middleware: (
      next: (args: { input: object }) => Promise<{ output: object }>,
      context: { commandName?: string },
    ) => (args: { input: object }) => Promise<{ output: object }>,
    options: { step: 'initialize'; name: string },
  ) => void;
};

/**
 * Adds the counting middleware to a DynamoDB client (the low-level one, under any document client)
 * and asks for the consumed capacity on every call that can return it.
 */
export const instrumentDynamo = <C extends { middlewareStack: unknown }>(client: C): C => {
  (client.middlewareStack as Stack).add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      const input = args.input as { ReturnConsumedCapacity?: string };
      if (CAPACITY_COMMANDS.has(command) && input.ReturnConsumedCapacity === undefined)
        input.ReturnConsumedCapacity = 'TOTAL';
      const done = observer ? await observer(command, args.input) : undefined;
      const started = performance.now();
      stats.calls.push(command);
      try {
        const result = await next(args);
        addCapacity((result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity);
        done?.(result.output);
        return result;
      } finally {
        stats.ms += performance.now() - started;
      }
    },
    { step: 'initialize', name: 'coSellDynamoStats' },
  );
  return client;
};
