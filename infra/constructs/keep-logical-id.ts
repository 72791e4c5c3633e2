/**
 * Pins a resource to the logical id an earlier release deployed it under. Moving a resource into a
 * construct changes its id, and CloudFormation then creates a new resource before deleting the old:
 * a named one (an event bus, an SES configuration set, a hosted UI prefix) fails on its own name,
 * and a stateful one (the user pool, whose `sub`s the table stores) would be replaced.
 */
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export const keepLogicalId = (resource: IConstruct, logicalId: string): void => {
  (resource.node.defaultChild as CfnElement).overrideLogicalId(logicalId);
};
