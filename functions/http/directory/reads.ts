/** The directory context's reads (GET routes, which write nothing): one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as findCustomers from './find-customers.ts';
import * as listSolutions from './list-solutions.ts';

export const handler = contextFunction('directory', 'reads', {
  'directory/find-customers': findCustomers,
  'directory/list-solutions': listSolutions,
});
