/**
 * The one way this app defines a Lambda function: Node.js 22 on arm64, bundled as minified ESM with
 * source maps by the local esbuild (never Docker), its own log group with a retention, X-Ray active,
 * and explicit table access through `bindTable`.
 */
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { TableAccess } from '#functions/table-access.ts';

/** The repository root: bundling resolves entries, the lock file and `#` aliases from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const SERVICE_NAME = 'co-sell-referrals';

/** Lets CommonJS dependencies that call `require` run inside the ESM bundle. */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Modules left out of every bundle. The AWS SDK v3 comes from the Lambda runtime: bundled, it
 * tripled each function's code (about 345 KB of the SDK and its credential chain against 150 KB
 * for everything else). `aws-crt` is an optional native module the handlers never use.
 * See docs/decisions.md, "AWS SDK v3: taken from the Lambda runtime, not bundled".
 */
export const EXTERNAL_MODULES = ['@aws-sdk/*', 'aws-crt'];

export type AppFunctionProps = {
  /** The handler module, relative to the repository root, e.g. `functions/http/deals/create.ts`. */
  entry: string;
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
  /** Extra environment variables, merged over the defaults. */
  environment?: Record<string, string>;
  description?: string;
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
      entry: `${PROJECT_ROOT}${props.entry}`,
      handler: props.handler ?? 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      ...(props.description ? { description: props.description } : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        ...props.environment,
      },
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
   * the like, which include Scan and every index; and tells the function the table's name (`TABLE_NAME`).
   */
  bindTable(table: ITable, access: TableAccess): this {
    if (access.operations.length > 0) {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: access.operations.map((operation) => `dynamodb:${operation}`),
          resources: [table.tableArn],
        }),
      );
    }
    if (access.indexes.length > 0) {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: access.indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  /** Sets an environment variable on the function. */
  addEnvironment(name: string, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
  }
}
