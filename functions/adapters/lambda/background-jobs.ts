/**
 * The BackgroundJobs port on Lambda: an asynchronous invocation of the job's own function (Lambda
 * queues the event and answers at once; a function error is retried by Lambda itself). Locally the
 * runtime's stand-in (infra/local/lambda-local.ts) runs the function in its worker the same way.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { BackgroundJobs, ExportFileRef } from '#domain/deals/ports.ts';
import { transport } from '../time-budget.ts';

export type BackgroundJobsConfig = {
  /** The export function's name (EXPORT_FUNCTION_NAME). */
  exportFunction: string;
  region: string;
  /** Only set locally: the Lambda stand-in's URL. */
  endpoint?: string;
};

export class LambdaBackgroundJobs implements BackgroundJobs {
  private readonly lambda: LambdaClient;

  constructor(private readonly config: BackgroundJobsConfig) {
    this.lambda = new LambdaClient({
      region: config.region,
      ...transport({ requestTimeoutMs: 3_000, maxAttempts: 2 }),
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    });
  }

  async runExport(job: ExportFileRef): Promise<void> {
    const payload: ExportFileRef = { orgId: job.orgId, id: job.id };
    await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.config.exportFunction,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
  }
}
