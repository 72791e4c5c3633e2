/**
 * The one way this app defines a Lambda function: Node.js 22 on arm64, bundled as minified ESM with
 * source maps by the local esbuild (never Docker), its own log group with a retention, X-Ray active,
 * exactly the environment functions/environment.ts declares for it, and explicit table access
 * through `bindTable`.
 */
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type EnvValues, environmentOf, type FunctionDefinition } from '#functions/environment.ts';
import type { TableAccess } from '#functions/table-access.ts';

/** The repository root: bundling resolves entries, the lock file and `#` aliases from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Lets CommonJS dependencies that call `require` run inside the ESM bundle. */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Modules left out of every bundle. The AWS SDK v3 comes from the Lambda runtime: bundled, it
 * tripled each function's code (about 345 KB of the SDK and its credential chain against 150 KB
 * for everything else). `aws-crt` is an optional native module the handlers never use.
 * See docs/decisions/0004-aws-sdk-from-the-lambda-runtime.md.
 */
export const EXTERNAL_MODULES = ['@aws-sdk/*', 'aws-crt'];

export type AppFunctionProps = {
  /** The function as functions/environment.ts declares it: its handler module and its variables. */
  definition: FunctionDefinition;
  /** Values for the declared variables; only the declared ones reach the function. */
  environmentValues: Partial<EnvValues>;
  /** The exported handler function. @default 'handler' */
  handler?: string;
  /** How long to keep the function's logs. */
  logRetention: RetentionDays;
  /** What happens to the log group when the stack is deleted. */
  logRemovalPolicy: RemovalPolicy;
  /** @default 1024 */
  memorySize?: number;
  /** @default 10 seconds */
  timeout?: Duration;
  /** @default the definition's description */
  description?: string;
  /**
   * Concurrency set aside for (and the most allowed to) this function: a background job's share,
   * so a backlog can neither starve the API of the account's concurrency nor the job of its own.
   * @default none (the account's unreserved pool, as the API's functions use)
   */
  reservedConcurrency?: number;
};

export class AppFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}${props.definition.entry}`,
      handler: props.handler ?? 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      description: props.description ?? props.definition.description,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
      environment: environmentOf(props.definition, props.environmentValues),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        externalModules: EXTERNAL_MODULES,
      },
    });
  }

  /**
   * Grants exactly the declared table access (functions/table-access.ts), never `grantReadData` and
   * the like, which include Scan and every index; its `TABLE_NAME` comes with its declared environment.
   */
  /**
   * Adds a statement to the role's one default policy. `Function.addToRolePolicy` would make a
   * policy resource per call under cdk.json's `createNewPoliciesWithAddToRolePolicy` flag, and with
   * every route a function of its own those resources push the API stack past CloudFormation's
   * 500-resource limit.
   */
  allow(statement: PolicyStatement): this {
    this.function.role!.addToPrincipalPolicy(statement);
    return this;
  }

  bindTable(table: ITable, access: TableAccess): this {
    if (access.operations.length > 0) {
      this.allow(
        new PolicyStatement({
          actions: access.operations.map((operation) => `dynamodb:${operation}`),
          resources: [table.tableArn],
        }),
      );
    }
    // A write scoped to partitions: IAM checks each item's partition key, in a transaction too.
    for (const write of access.scopedWrites) {
      this.allow(
        new PolicyStatement({
          actions: [`dynamodb:${write.operation}`],
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': write.partitions.map((partition) => `${partition}*`),
            },
          },
        }),
      );
    }
    if (access.indexes.length > 0) {
      this.allow(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: access.indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
    return this;
  }
}
