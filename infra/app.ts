/** The CDK app (`cdk.json` runs it with tsx). The stacks and their context are in stacks/co-sell-app.ts. */
import { App } from 'aws-cdk-lib';
import { createCoSellStacks } from './stacks/co-sell-app.ts';

createCoSellStacks(new App());
