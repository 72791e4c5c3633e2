/** The insights context's reads (GET routes, which write nothing): one Lambda function, routed by the route table. */
import { contextFunction } from '../context-function.ts';
import * as pipelineReport from './pipeline-report.ts';
import * as recentContacts from './recent-contacts.ts';
import * as searchPartners from './search-partners.ts';

export const handler = contextFunction('insights', 'reads', {
  'insights/search-partners': searchPartners,
  'insights/recent-contacts': recentContacts,
  'insights/pipeline-report': pipelineReport,
});
