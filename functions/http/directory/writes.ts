/** The directory context's writes: one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as correctCustomer from './correct-customer.ts';
import * as createCustomer from './create-customer.ts';
import * as createSolution from './create-solution.ts';
import * as retireCustomer from './retire-customer.ts';
import * as updateSolution from './update-solution.ts';

export const handler = contextFunction('directory', 'writes', {
  'directory/create-customer': createCustomer,
  'directory/correct-customer': correctCustomer,
  'directory/retire-customer': retireCustomer,
  'directory/create-solution': createSolution,
  'directory/update-solution': updateSolution,
});
