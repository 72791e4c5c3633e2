/**
 * Everything that differs between the `dev` and `prod` deployments, in one place, so a stack never
 * branches on the stage name itself.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { RouteThrottle } from '#functions/http/routes.ts';

export const STAGES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGES)[number];

export type StageSettings = {
  name: StageName;
  /** What happens to stateful resources (table, user pool, log groups) when the stack goes away. */
  removalPolicy: RemovalPolicy;
  /** Point-in-time recovery and deletion protection on the table. */
  protectData: boolean;
  logRetention: RetentionDays;
  /** Default stage throttling of the HTTP API (steady requests per second and burst). */
  throttle: { rateLimit: number; burstLimit: number };
  /**
   * The stricter limit of each throttle class a route-table entry may name: `costly-write` for the
   * most expensive write (several items per transaction), `anonymous` for each route without a token
   * (anyone can call it, so it gets the tightest limit).
   */
  routeThrottles: Record<RouteThrottle, { rateLimit: number; burstLimit: number }>;
  /**
   * Notification emails reach real people: `emailFrom` must be given and must not be a placeholder
   * (nor `appBaseUrl`, when given), and Cognito users may only sign in through the hosted UI (no
   * password auth flow).
   */
  sendsRealMail: boolean;
  defaultTimeout: Duration;
  /**
   * Requests one address may send through the distribution in any 5 minutes before the web ACL
   * blocks it (console files included: a page load is a handful).
   */
  edgeRateLimit: number;
  /**
   * GuardDuty Malware Protection for S3 scans every uploaded attachment, and a file is handed out
   * only once tagged clean. Billed per GB scanned, so only where real files arrive.
   */
  malwareScanning: boolean;
};

const SETTINGS: Record<StageName, Omit<StageSettings, 'name'>> = {
  dev: {
    removalPolicy: RemovalPolicy.DESTROY,
    protectData: false,
    logRetention: RetentionDays.ONE_MONTH,
    throttle: { rateLimit: 50, burstLimit: 100 },
    routeThrottles: {
      'costly-write': { rateLimit: 5, burstLimit: 10 },
      anonymous: { rateLimit: 2, burstLimit: 5 },
    },
    sendsRealMail: false,
    defaultTimeout: Duration.seconds(10),
    edgeRateLimit: 1000,
    malwareScanning: false,
  },
  prod: {
    removalPolicy: RemovalPolicy.RETAIN,
    protectData: true,
    logRetention: RetentionDays.ONE_YEAR,
    throttle: { rateLimit: 200, burstLimit: 400 },
    routeThrottles: {
      'costly-write': { rateLimit: 20, burstLimit: 40 },
      anonymous: { rateLimit: 10, burstLimit: 20 },
    },
    sendsRealMail: true,
    defaultTimeout: Duration.seconds(10),
    edgeRateLimit: 3000,
    malwareScanning: true,
  },
};

export const isStageName = (value: unknown): value is StageName =>
  typeof value === 'string' && (STAGES as readonly string[]).includes(value);

export const stageSettings = (name: StageName): StageSettings => ({ name, ...SETTINGS[name] });
