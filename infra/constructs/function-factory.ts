/**
 * How the stack's constructs make their functions: the app's defaults, the stage's log retention
 * and timeout, the stage's values of the declared environment, and exactly the declared table
 * access (infra/stacks/api-stack.ts provides it).
 */
import type { Construct } from 'constructs';
import type { FunctionDefinition } from '#functions/environment.ts';
import type { TableAccess } from '#functions/table-access.ts';
import type { AppFunction, AppFunctionProps } from './app-function.ts';

export type FunctionFactory = (
  scope: Construct,
  definition: FunctionDefinition,
  access: TableAccess,
  options?: Partial<Omit<AppFunctionProps, 'definition'>>,
) => AppFunction;
