/**
 * The CDK app (`cdk.json` runs it with tsx). The stacks and their context are in stacks/co-sell-app.ts.
 * cdk-nag runs on every synthesis (and so every deploy): an unacknowledged finding stops it.
 */
import { App } from 'aws-cdk-lib';
import { applyNag } from './nag.ts';
import { createCoSellStacks } from './stacks/co-sell-app.ts';

const app = new App();
applyNag(app, createCoSellStacks(app));
