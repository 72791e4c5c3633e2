/**
 * Every port of every bounded context in one record: what the composition root (functions/composition)
 * wires once per entry point, and what a use case receives. Each context declares its own ports in
 * its ports.ts; this file only gathers them.
 */
import type { AttachmentStore, FileStore } from './attachments/ports.ts';
import type {
  BackgroundJobs,
  CommentStore,
  DealStore,
  ExportFileStore,
  ExportJobStore,
} from './deals/ports.ts';
import type { CustomerStore, SolutionStore } from './directory/ports.ts';
import type {
  ApiClientStore,
  ClientCredentials,
  IdentityProvider,
  MembershipStore,
  OrgStore,
} from './identity/ports.ts';
import type { ResponsivenessStore, SignalStore } from './insights/ports.ts';
import type { Clock } from './kernel/clock.ts';
import type { Ids } from './kernel/ids.ts';
import type { Backoff } from './kernel/retry.ts';
import type { WebhookStore } from './webhooks/ports.ts';

/** Everything the use cases may need, wired once per entry point by the composition root. */
export type Deps = {
  clock: Clock;
  ids: Ids;
  backoff: Backoff;
  orgs: OrgStore;
  memberships: MembershipStore;
  customers: CustomerStore;
  solutions: SolutionStore;
  deals: DealStore;
  responsiveness: ResponsivenessStore;
  signals: SignalStore;
  attachments: AttachmentStore;
  files: FileStore;
  webhooks: WebhookStore;
  comments: CommentStore;
  exports: ExportJobStore;
  exportFiles: ExportFileStore;
  jobs: BackgroundJobs;
  apiClients: ApiClientStore;
  clientCredentials: ClientCredentials;
  identityProvider: IdentityProvider;
};
