import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

/** One logger for every function: JSON lines with the request id; never log bodies or personal data. */
export const logger = new Logger({
  serviceName: 'co-sell-referrals',
  logLevel: (process.env.LOG_LEVEL ?? 'INFO') as LogLevel,
});
