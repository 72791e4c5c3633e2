/**
 * `CoSell-<stage>-Console`: puts the built console (`web/dist`) and its run-time `config.json` into
 * the Api stack's console bucket, then invalidates the distribution. It is its own stack, after the
 * Api stack, because the distribution's URL feeds the Api stack's Cognito client and the
 * notification consumer (so the distribution lives there), while the console's files may change
 * without touching the API: `cdk deploy CoSell-<stage>-Console` redeploys only them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import type { ConsoleConfig } from '../constructs/console-config.ts';
import { consoleBucketExport } from './api-stack.ts';

/** The files every page load fetches first: always revalidated, so a deploy shows at once. */
export const CONSOLE_ENTRY_FILES = ['index.html', 'config.json'] as const;

/** A console build: a directory with an `index.html` (Vite's `web/dist`). */
export const isConsoleBuild = (dir: string): boolean => existsSync(join(dir, 'index.html'));

export type ConsoleStackProps = StackProps & {
  /** The Api stack, which holds the bucket and the distribution. */
  api: Stack;
  distribution: IDistribution;
  config: ConsoleConfig;
  /** The console's build output; see isConsoleBuild. */
  buildDir: string;
  /** Empty the bucket's deployed files when the stack is deleted (stages that delete their data). */
  deleteFilesWithStack: boolean;
};

export class ConsoleStack extends Stack {
  /** The hashed assets (JavaScript, CSS, images), then the entry files that name them. */
  readonly deployments: { assets: BucketDeployment; entry: BucketDeployment };

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    this.addStackDependency(props.api);
    const bucket = Bucket.fromBucketName(
      this,
      'ConsoleBucket',
      Fn.importValue(consoleBucketExport(props.api.stackName)),
    );
    const build = Source.asset(props.buildDir);
    const common = {
      destinationBucket: bucket,
      retainOnDelete: !props.deleteFilesWithStack,
      // Files of earlier builds stay: a page loaded before this deploy still finds the chunks it
      // loads later. Every object is small and content-addressed, so they are cheap to keep.
      prune: false,
      memoryLimit: 512,
    };
    const assets = new BucketDeployment(this, 'Assets', {
      ...common,
      sources: [build],
      exclude: [...CONSOLE_ENTRY_FILES],
      // Vite names every asset by its content hash: a changed file is a new name.
      cacheControl: [
        CacheControl.setPublic(),
        CacheControl.maxAge(Duration.days(365)),
        CacheControl.immutable(),
      ],
    });
    const entry = new BucketDeployment(this, 'Entry', {
      ...common,
      // A config.json in the build (a local one) never reaches the bucket: the stack's wins.
      sources: [build, Source.jsonData('config.json', props.config)],
      exclude: ['*'],
      include: [...CONSOLE_ENTRY_FILES],
      cacheControl: [CacheControl.noCache()],
      distribution: props.distribution,
      distributionPaths: ['/*'],
    });
    // index.html names the new assets: it must not be served before they are in the bucket.
    entry.node.addDependency(assets);
    this.deployments = { assets, entry };
  }
}
