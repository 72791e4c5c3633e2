/**
 * The CSV export job (docs/api.md "Export deals as CSV"): its own function, invoked asynchronously by
 * the route that starts an export (docs/decisions/0190-exports-run-in-their-own-function.md), writing
 * only under the bucket's export prefix. A failed run marks its job failed itself, so Lambda's
 * retries only cover a run that died (a timeout); a retry of a finished job does nothing.
 */
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EXPORT_FUNCTION_BUCKET_ACCESS, EXPORT_PREFIX } from '#functions/bucket-access.ts';
import { EXPORT_FUNCTION } from '#functions/environment.ts';
import { EXPORT_TABLE_ACCESS } from '#functions/table-access.ts';
import type { AppFunction } from './app-function.ts';
import type { FunctionFactory } from './function-factory.ts';

/**
 * Exports running at once: each reads the table as fast as a list page allows, so a burst of them
 * stays off the API's share of the table and of the account's concurrency; more wait in Lambda's queue.
 */
export const EXPORT_CONCURRENCY = 5;

export class DealExports extends Construct {
  readonly function: AppFunction;

  constructor(scope: Construct, id: string, props: { functions: FunctionFactory; attachments: IBucket }) {
    super(scope, id);
    this.function = props.functions(this, EXPORT_FUNCTION, EXPORT_TABLE_ACCESS, {
      // 10,000 deals take seconds; the margin is for a table that throttles.
      timeout: Duration.minutes(5),
      reservedConcurrency: EXPORT_CONCURRENCY,
    });
    this.function.allow(
      new PolicyStatement({
        actions: [...EXPORT_FUNCTION_BUCKET_ACCESS],
        resources: [props.attachments.arnForObjects(`${EXPORT_PREFIX}*`)],
      }),
    );
    this.function.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.minutes(15) });
  }

  /** Lets a function start exports. */
  grantStart(fn: AppFunction): void {
    fn.allow(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.function.functionArn],
      }),
    );
  }
}
