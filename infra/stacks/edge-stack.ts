/**
 * `CoSell-<stage>-Edge`: the web ACL of the console's distribution. CloudFront takes only web ACLs
 * of scope CLOUDFRONT, and those exist only in us-east-1, so this small stack is always deployed
 * there whatever region the others are in; the Api stack reads its ARN through CDK's cross-region
 * references (docs/decisions/0106-edge-web-acl-in-us-east-1.md).
 *
 * Rules, in order: AWS's managed common rule set (with its 8 KB body rule only counted: the API
 * refuses bodies over 64 KiB itself, and deal notes may be longer than 8 KB), then a rate-based rule
 * that blocks an address sending more than the stage allows in any 5 minutes.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { StageSettings } from './stage.ts';

/** CloudFront's web ACLs live here, and only here. */
export const EDGE_REGION = 'us-east-1';

/** The managed rule group every distribution of the app runs, and the rule of it only counted. */
export const MANAGED_RULES = { vendor: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } as const;
export const COUNTED_MANAGED_RULES = ['SizeRestrictions_BODY'] as const;

export type EdgeStackProps = StackProps & { stage: StageSettings };

export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    if (props.env?.region !== EDGE_REGION) {
      throw new Error(`${id} must be deployed to ${EDGE_REGION} (CloudFront web ACLs live there only).`);
    }
    const metric = (name: string) => ({
      metricName: `${this.stackName}-${name}`,
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `${this.stackName}-distribution`,
      description: 'Co-sell referrals - the console distribution, its files and the API under /v1',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: metric('web-acl'),
      rules: [
        {
          name: 'common-rules',
          priority: 0,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: MANAGED_RULES.vendor,
              name: MANAGED_RULES.name,
              ruleActionOverrides: COUNTED_MANAGED_RULES.map((name) => ({
                name,
                actionToUse: { count: {} },
              })),
            },
          },
          visibilityConfig: metric('common-rules'),
        },
        {
          name: 'rate-per-address',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.stage.edgeRateLimit,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: metric('rate-per-address'),
        },
      ],
    });
  }
}
