import type { Deps } from '#domain/deps.ts';
import type { Clock } from '#domain/kernel/clock.ts';
import { MemoryApiClientStore, MemoryClientCredentials } from './api-clients.ts';
import { MemoryAttachmentStore, MemoryFileStore } from './attachments.ts';
import { RecordingBackoff } from './backoff.ts';
import { MemoryCommentStore } from './comments.ts';
import { MemoryCustomerStore } from './customers.ts';
import { MemoryDealStore } from './deals.ts';
import { MemoryBackgroundJobs, MemoryExportFiles, MemoryExportStore } from './exports.ts';
import { MemoryIdentityProvider } from './identity-provider.ts';
import { MemoryMembershipStore } from './memberships.ts';
import { MemoryOrgStore, memberKey } from './orgs.ts';
import { MemoryResponsivenessStore } from './responsiveness.ts';
import { MemorySignalStore } from './signals.ts';
import { MemorySolutionStore } from './solutions.ts';
import { MemoryWebhookStore } from './webhooks.ts';

export type MemoryDeps = Deps & {
  orgs: MemoryOrgStore;
  memberships: MemoryMembershipStore;
  customers: MemoryCustomerStore;
  solutions: MemorySolutionStore;
  deals: MemoryDealStore;
  comments: MemoryCommentStore;
  exports: MemoryExportStore;
  exportFiles: MemoryExportFiles;
  jobs: MemoryBackgroundJobs;
  backoff: RecordingBackoff;
  attachments: MemoryAttachmentStore;
  files: MemoryFileStore;
  webhooks: MemoryWebhookStore;
  apiClients: MemoryApiClientStore;
  clientCredentials: MemoryClientCredentials;
  identityProvider: MemoryIdentityProvider;
};

/** Every port in memory, with sequential ids that sort like ULIDs and pauses that do not wait. */
export const memoryDeps = (clock: Clock): MemoryDeps => {
  let sequence = 0;
  const orgs = new MemoryOrgStore();
  const deals = new MemoryDealStore();
  const customers = new MemoryCustomerStore();
  deals.joins = {
    actorOf: (sub) => orgs.actorOf(sub),
    customer: (id) => customers.get(id),
    memberOf: (orgId, email) => orgs.members.get(memberKey(orgId, email)),
  };
  return {
    clock,
    ids: { next: () => `01ID${String(++sequence).padStart(12, '0')}` },
    backoff: new RecordingBackoff(),
    orgs,
    memberships: new MemoryMembershipStore(orgs),
    customers,
    solutions: new MemorySolutionStore(orgs),
    deals,
    responsiveness: new MemoryResponsivenessStore(deals),
    signals: new MemorySignalStore(deals),
    attachments: new MemoryAttachmentStore(),
    files: new MemoryFileStore(),
    webhooks: new MemoryWebhookStore(),
    comments: new MemoryCommentStore(deals.outbox),
    exports: new MemoryExportStore(),
    exportFiles: new MemoryExportFiles(),
    jobs: new MemoryBackgroundJobs(),
    apiClients: new MemoryApiClientStore(orgs),
    clientCredentials: new MemoryClientCredentials(),
    identityProvider: new MemoryIdentityProvider(),
  };
};
