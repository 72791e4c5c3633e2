/**
 * CloudFormation refuses a stack of more than 500 resources, and a deploy finds out only then. The
 * margin below keeps room for the resources each new route or job brings; it is counted on the
 * templates `cdk synth` makes (cdk.json's feature flags included, see stacks.ts), since those flags
 * change how many policies the grants create.
 */
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { consoleBuild, resourceCount, STAGE_CONTEXTS, synthesize } from './stacks.ts';

/** The most resources a stack of this app may declare. */
const RESOURCES_PER_STACK = 300;

const CLOUDFORMATION_LIMIT = 500;

describe.each(Object.values(STAGE_CONTEXTS))('resources per stack ($stage)', (context) => {
  // With a console build, so the Console stack is counted too.
  const {
    data,
    users,
    api,
    console: consoleStack,
  } = synthesize({ ...context, consoleBuildDir: consoleBuild() });
  const stacks: Stack[] = [data, ...(users ? [users] : []), api, ...(consoleStack ? [consoleStack] : [])];

  it('synthesizes the Data, Users, Api and Console stacks', () => {
    expect(stacks.map((stack) => stack.stackName)).toEqual([
      `CoSell-${context.stage}-Data`,
      `CoSell-${context.stage}-Users`,
      `CoSell-${context.stage}-Api`,
      `CoSell-${context.stage}-Console`,
    ]);
  });

  it.each(stacks.map((stack) => [stack.stackName, stack] as const))(
    `%s stays at or below ${RESOURCES_PER_STACK} resources`,
    (name, stack) => {
      const count = resourceCount(Template.fromStack(stack));
      expect(
        count,
        `${name} declares ${count} resources: keep it at or below ${RESOURCES_PER_STACK}, so new routes ` +
          `and jobs still fit under CloudFormation's ${CLOUDFORMATION_LIMIT} (share a function, a role or ` +
          'an alarm between routes, or move resources to a stack of their own)',
      ).toBeLessThanOrEqual(RESOURCES_PER_STACK);
    },
  );
});
