/** The deals context's reads (GET routes, which write nothing): one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as comments from './comments.ts';
import * as exportStatus from './export-status.ts';
import * as get from './get.ts';
import * as history from './history.ts';
import * as list from './list.ts';
import * as ownerCandidates from './owner-candidates.ts';
import * as partnerSuggestions from './partner-suggestions.ts';

export const handler = contextFunction('deals', 'reads', {
  'deals/list': list,
  'deals/get': get,
  'deals/history': history,
  'deals/comments': comments,
  'deals/owner-candidates': ownerCandidates,
  'deals/export-status': exportStatus,
  'deals/partner-suggestions': partnerSuggestions,
});
