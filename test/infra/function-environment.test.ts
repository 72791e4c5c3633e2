/**
 * Every function in the synthesized templates has exactly the environment functions/environment.ts
 * declares for it: the declaration the local runtime uses is the one that deploys.
 */
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '#functions/environment.ts';
import { appFunctionsOf, PROD_DELIVERY, synthesize } from './stacks.ts';

describe.each(['dev', 'prod'])('function environments (%s)', (stage) => {
  const { apiTemplate, usersTemplate } = synthesize({ stage, ...PROD_DELIVERY });
  // The Api stack's functions and the Users stack's token trigger.
  const functions = [apiTemplate, usersTemplate!].flatMap((template) => appFunctionsOf(template));
  /** A function's logical id ends in its declared id, `Function` and CloudFormation's hash, whichever construct holds it. */
  const isOf = (logicalId: string, id: string) => new RegExp(`${id}Function[0-9A-F]{8}$`).test(logicalId);

  it('has one function per declared function, and no other', () => {
    const ids = functions.map(([logicalId]) => FUNCTIONS.find((fn) => isOf(logicalId, fn.id))?.id);
    expect(ids.filter((id) => id === undefined)).toEqual([]);
    expect([...ids].sort()).toEqual(FUNCTIONS.map((fn) => fn.id).sort());
  });

  it('sets on each function exactly the variables its declaration names', () => {
    for (const fn of FUNCTIONS) {
      const matches = functions.filter(([logicalId]) => isOf(logicalId, fn.id));
      expect(matches, fn.id).toHaveLength(1);
      const [, resource] = matches[0]!;
      const variables = (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(variables).sort(), fn.id).toEqual([...fn.environment].sort());
    }
  });
});
