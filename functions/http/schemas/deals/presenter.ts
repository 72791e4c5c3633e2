/**
 * The deal routes' presenter: maps the domain's views (deals/use-cases/present.ts, rules/history.ts)
 * to the response shapes, field by field. It decides nothing about who sees what.
 */

import type * as z from 'zod';
import { DEAL_TEXT_FIELDS, type DealText, type Registration } from '#domain/deals/model.ts';
import type { DealView } from '#domain/deals/ports.ts';
import { type HistoryActorView, type HistoryEntryView, SYSTEM_ACTOR } from '#domain/deals/rules/history.ts';
import type { ExportView } from '#domain/deals/use-cases/export-deals.ts';
import { etag } from '../../etag.ts';
import type {
  DealResponse,
  ExportResponse,
  HistoryActorResponse,
  HistoryEntryResponse,
} from './responses.ts';

const submissionResponse = (submitted: Registration) => ({
  contractValue: submitted.contractValue ?? null,
  contractDate: submitted.contractDate ?? null,
  purchaseOrder: submitted.purchaseOrder ?? null,
  notes: submitted.notes ?? null,
  // The frozen copy of each file stays the domain's business: the response names the file only.
  attachments: (submitted.attachments ?? []).map(({ id, fileName }) => ({ id, fileName })),
});

/** The response shape of a deal view; what the view holds of other orgs the domain's presenter decided. */
export const dealResponse = ({
  deal,
  favorite,
  type,
  participants,
  registration,
  registrations,
  actions,
  stageChoices,
}: DealView): DealResponse => ({
  id: deal.id,
  engagementId: deal.engagementId,
  orgId: deal.orgId,
  direction: deal.direction,
  type,
  status: deal.status,
  stage: deal.stage,
  probability: deal.probability,
  companyStage: deal.companyStage ?? null,
  name: deal.name,
  location: deal.location,
  customer: {
    id: deal.customer.id,
    name: deal.customer.name,
    country: deal.customer.country,
    address: deal.customer.address,
    duns: deal.customer.duns ?? null,
    contact: deal.customer.contact ?? null,
    consentToShareWithHost: deal.customer.consentToShareWithHost,
  },
  value: deal.value,
  closeDate: deal.closeDate,
  ...(Object.fromEntries(DEAL_TEXT_FIELDS.map((field) => [field, deal[field] ?? null])) as Record<
    DealText,
    string | null
  >),
  team: deal.team,
  owner: deal.owner ? { email: deal.owner.email, name: deal.owner.name } : null,
  solutions: deal.solutions,
  assessmentLocation: deal.assessmentLocation ?? null,
  participants,
  invitation: deal.invitation
    ? {
        kind: deal.invitation.kind,
        fromOrgId: deal.invitation.fromOrgId,
        fromOrgName: deal.invitation.fromOrgName,
        helpType: deal.invitation.helpType,
        notes: deal.invitation.notes ?? null,
        inviterTeam: deal.invitation.inviterTeam ?? [],
        invitedAt: deal.invitation.invitedAt,
        expiresAt: deal.invitation.expiresAt,
        answeredAt: deal.invitation.answeredAt ?? null,
      }
    : null,
  declined: deal.declined ? { reason: deal.declined.reason, notes: deal.declined.notes ?? null } : null,
  registration: {
    ...registration,
    submission: deal.registration ? submissionResponse(deal.registration) : null,
  },
  registrations: registrations.map(({ orgId, orgName, registration: submitted, deal: partnerDeal }) => ({
    orgId,
    orgName,
    status: submitted.status,
    submittedAt: submitted.submittedAt,
    submission: submissionResponse(submitted),
    messages: submitted.messages,
    deal: partnerDeal,
  })),
  lost: deal.lost ? { reason: deal.lost.reason, notes: deal.lost.notes ?? null } : null,
  closedAt: deal.closedAt ?? null,
  favorite,
  actions,
  stageChoices: { ...stageChoices, sequence: stageChoices.sequence ? [...stageChoices.sequence] : null },
  createdAt: deal.createdAt,
  updatedAt: deal.updatedAt,
  version: deal.version,
});

/** A deal response with its ETag, for every route that answers with one deal. */
export const dealResult = (status: number, view: DealView) => {
  const body = dealResponse(view);
  return { status, headers: { etag: etag(body.version) }, body };
};

const historyActorResponse = (actor: HistoryActorView): z.infer<typeof HistoryActorResponse> => {
  switch (actor.kind) {
    case 'member':
      return { orgId: actor.orgId, orgName: actor.orgName, sub: actor.sub, email: actor.email };
    case 'client':
      return { orgId: actor.orgId, orgName: actor.orgName, client: actor.client };
    case 'org':
      return { orgId: actor.orgId, orgName: actor.orgName };
    case 'system':
      return { sub: 'system', email: SYSTEM_ACTOR.email };
  }
};

export const historyEntryResponse = (entry: HistoryEntryView): z.infer<typeof HistoryEntryResponse> => ({
  id: entry.id,
  at: entry.at,
  actor: historyActorResponse(entry.actor),
  action: entry.action,
  changes: entry.changes,
});

/** An export job as its asker sees it: the download only once ready. */
export const exportResponse = ({ job, download }: ExportView): ExportResponse => ({
  id: job.id,
  status: job.status,
  rows: job.rows,
  createdAt: job.createdAt,
  ...(download ? { downloadUrl: download.url, expiresAt: download.expiresAt } : {}),
});
