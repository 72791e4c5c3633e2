/** Request and response shapes of the deal routes, and the mapping from domain records to them. */
import * as z from 'zod';
import type { DealStatus } from '#domain/deals/model.ts';
import {
  DEAL_STATUSES,
  DEAL_TYPES,
  DECLINE_REASONS,
  DIRECTIONS,
  HELP_TYPES,
  INVITEE_KINDS,
  LOST_REASONS,
  REGISTRATION_STATUSES,
  REGISTRATION_UNMET,
  REVIEW_DECISIONS,
  STAGES,
} from '#domain/deals/model.ts';
import type { DealView } from '#domain/deals/ports.ts';
import { SYNC_SETTLE_MS } from '#domain/deals/rules/deal-filter.ts';
import { dealType } from '#domain/deals/rules/deal-type.ts';
import { type HistoryActorView, type HistoryEntryView, SYSTEM_ACTOR } from '#domain/deals/rules/history.ts';
import { participantsSeenBy } from '#domain/deals/rules/participants.ts';
import { SETTABLE_STAGES } from '#domain/deals/rules/stages.ts';
import { ORG_KINDS } from '#domain/shared/actor.ts';
import { LIMITS } from '#domain/shared/limits.ts';
import { etag } from '../etag.ts';
import {
  Country,
  Email,
  ExternalId,
  Id,
  IsoDate,
  Money,
  Notes,
  PageQuery,
  Person,
  PersonName,
  Phone,
  pageOf,
  Timestamp,
} from './common.ts';

const DealName = z.string().trim().min(1).max(LIMITS.name);
const Team = z.array(Person).min(1, 'Name at least one team member.').max(LIMITS.teamMembers);
const SolutionIds = z.array(Id).min(1, 'Name at least one solution.').max(LIMITS.solutionsPerDeal);

export const CustomerContact = z.strictObject({ name: PersonName, phone: Phone, email: Email });

export const InviteBody = z.strictObject({
  host: z.strictObject({ helpType: z.enum(HELP_TYPES), notes: Notes.optional() }).optional(),
  partners: z
    .array(
      z.strictObject({
        orgId: Id,
        closeDate: IsoDate.optional(),
        value: Money.optional(),
        notes: Notes.optional(),
        team: Team.optional(),
        solutions: SolutionIds.optional(),
        helpType: z.enum(HELP_TYPES),
      }),
    )
    .max(10)
    .optional(),
});

export const AcceptBody = z.strictObject({
  name: DealName.optional(),
  value: Money.optional(),
  closeDate: IsoDate.optional(),
  notes: Notes.optional(),
  crmId: ExternalId.optional(),
  campaignId: ExternalId.optional(),
  team: Team.optional(),
});

export const RegisterBody = z.strictObject({
  contractSigned: z.literal(true, { error: 'Register only a deal whose contract is signed: send true.' }),
  contractValue: Money.optional(),
  contractDate: IsoDate.optional(),
  purchaseOrder: z.string().trim().min(1).max(LIMITS.purchaseOrder).optional(),
  notes: Notes.optional(),
  attachments: z
    .array(Id)
    .max(LIMITS.registrationAttachments)
    .optional()
    .describe('Ids of uploaded attachments of this deal (POST /v1/deals/{id}/attachments).'),
});

export const ReviewRegistrationBody = z.strictObject({
  orgId: Id,
  decision: z.enum(REVIEW_DECISIONS),
  message: z.string().trim().min(1).max(LIMITS.reviewMessage).optional(),
});

export const DeclineBody = z.strictObject({ reason: z.enum(DECLINE_REASONS), notes: Notes.optional() });

export const CreateDealBody = z.strictObject({
  customer: z.strictObject({
    id: Id,
    contact: CustomerContact.optional(),
    consentToShareWithHost: z.boolean().optional(),
  }),
  name: DealName,
  location: Country,
  value: Money,
  closeDate: IsoDate,
  crmId: ExternalId.optional(),
  campaignId: ExternalId.optional(),
  notes: Notes.optional(),
  team: Team,
  solutions: SolutionIds,
  assessmentLocation: Country.optional(),
  invite: InviteBody.optional(),
});

const fixedField = (message: string) => z.never({ error: message }).optional();

export const UpdateDealBody = z
  .strictObject({
    name: DealName.optional(),
    value: Money.optional(),
    closeDate: IsoDate.optional(),
    notes: Notes.nullable().optional(),
    crmId: ExternalId.nullable().optional(),
    campaignId: ExternalId.nullable().optional(),
    team: Team.optional(),
    solutions: SolutionIds.optional(),
    location: fixedField(
      'The location is fixed when the deal is created; create a new deal for another location.',
    ),
    assessmentLocation: fixedField('The assessment location is fixed when the deal is created.'),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'Name at least one field to change.' });

export const ChangeStageBody = z
  .strictObject({
    stage: z.enum(SETTABLE_STAGES).optional(),
    stageName: z.string().trim().min(1).max(100).optional(),
    probability: z.number().int().min(0).max(100).optional(),
  })
  .refine(
    (body) =>
      body.stage !== undefined
        ? body.stageName === undefined && body.probability === undefined
        : body.stageName !== undefined && body.probability !== undefined,
    { error: 'Send either { stage } or { stageName, probability }. Deals become won through /close.' },
  )
  .transform((body) =>
    body.stage !== undefined
      ? { stage: body.stage }
      : { stageName: body.stageName as string, probability: body.probability as number },
  );

export const CloseDealBody = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('won') }),
  z.strictObject({ outcome: z.literal('lost'), reason: z.enum(LOST_REASONS), notes: Notes.optional() }),
]);

const STATUS_LIST = new RegExp(`^(${DEAL_STATUSES.join('|')})(,(${DEAL_STATUSES.join('|')}))*$`);

/** `?status=won,lost`: one or more statuses, comma-separated; each status once. */
const StatusList = z
  .string()
  .max(DEAL_STATUSES.join(',').length)
  .regex(STATUS_LIST, `Use one or more of ${DEAL_STATUSES.join(', ')}, comma-separated.`)
  .transform((value) => [...new Set(value.split(','))] as DealStatus[])
  .meta({
    description: `One or more of ${DEAL_STATUSES.join(', ')}, comma-separated.`,
    examples: ['won,lost'],
  });

export const ListDealsQuery = z.strictObject({
  view: z.enum(['outbound', 'inbound', 'favorites']).optional().meta({
    description:
      'The tab. Defaults to `outbound`; without it, `updatedSince` and `crmId` cover both directions. `favorites` does not combine with `updatedSince` or `crmId`.',
  }),
  status: StatusList.optional(),
  type: z.enum(DEAL_TYPES).optional(),
  location: Country.optional(),
  campaignId: ExternalId.optional(),
  customer: z
    .string()
    .trim()
    .min(1)
    .max(LIMITS.name)
    .optional()
    .meta({ description: "A prefix of the customer's name, case-insensitive." }),
  crmId: ExternalId.optional().meta({
    description:
      "The caller's org's own CRM id: at most one deal (the newest carrying it), one indexed read.",
  }),
  updatedSince: z.iso
    .datetime({ offset: true })
    .max(40)
    .transform((value) => new Date(value).toISOString())
    .optional()
    .meta({
      description: `Delta sync: every deal of the org changed at or after this instant, oldest change first (changes of the last ${SYNC_SETTLE_MS / 1000} seconds follow on a later read). Continue from the last \`updatedAt\` you stored.`,
      examples: ['2027-01-01T00:00:00Z'],
    }),
  ...PageQuery,
});

export const HistoryQuery = z.strictObject(PageQuery);

/** `DELETE /v1/deals/{id}/invitations/{orgId}`: the inviting deal and the invited org. */
export const InvitationParams = z.strictObject({ id: Id, orgId: Id });

const ParticipantView = z.object({
  orgId: z.string(),
  orgName: z.string(),
  kind: z.enum(ORG_KINDS),
  status: z.enum(DEAL_STATUSES),
  /** The org's deal team while it takes part, once the caller's org takes part too; otherwise empty. */
  team: z.array(Person),
});

export const DealResponse = z.object({
  id: z.string(),
  engagementId: z.string(),
  orgId: z.string(),
  direction: z.enum(DIRECTIONS),
  type: z.enum(DEAL_TYPES),
  status: z.enum(DEAL_STATUSES),
  stage: z.enum(STAGES),
  probability: z.number(),
  companyStage: z.object({ name: z.string(), probability: z.number() }).nullable(),
  name: z.string(),
  location: z.string(),
  customer: z.object({
    id: z.string(),
    name: z.string(),
    country: z.string(),
    address: z.string(),
    duns: z.string().nullable(),
    contact: CustomerContact.nullable(),
    consentToShareWithHost: z.boolean(),
  }),
  value: Money,
  closeDate: IsoDate,
  crmId: z.string().nullable(),
  campaignId: z.string().nullable(),
  notes: z.string().nullable(),
  team: z.array(Person),
  solutions: z.array(z.string()),
  assessmentLocation: z.string().nullable(),
  participants: z.array(ParticipantView),
  invitation: z
    .object({
      kind: z.enum(INVITEE_KINDS),
      fromOrgId: z.string(),
      fromOrgName: z.string(),
      helpType: z.enum(HELP_TYPES),
      notes: z.string().nullable(),
      inviterTeam: z.array(Person),
      invitedAt: Timestamp,
      expiresAt: Timestamp,
      answeredAt: Timestamp.nullable(),
    })
    .nullable(),
  declined: z.object({ reason: z.enum(DECLINE_REASONS), notes: z.string().nullable() }).nullable(),
  registration: z.object({
    eligible: z.boolean(),
    unmet: z.array(z.enum(REGISTRATION_UNMET)),
    status: z.enum(REGISTRATION_STATUSES),
    messages: z.array(z.object({ at: Timestamp, decision: z.enum(REVIEW_DECISIONS), text: z.string() })),
  }),
  /** The host's deal only: the partners' registrations of this engagement. */
  registrations: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      status: z.enum(REGISTRATION_STATUSES),
      submittedAt: Timestamp,
      submission: z.object({
        contractValue: Money.nullable(),
        contractDate: IsoDate.nullable(),
        purchaseOrder: z.string().nullable(),
        notes: z.string().nullable(),
        attachments: z.array(z.object({ id: z.string(), fileName: z.string() })),
      }),
      deal: z
        .object({ value: Money, closeDate: IsoDate, solutions: z.array(z.string()) })
        .describe("The partner deal's value, close date and solutions as they are now."),
    }),
  ),
  lost: z.object({ reason: z.enum(LOST_REASONS), notes: z.string().nullable() }).nullable(),
  closedAt: Timestamp.nullable(),
  favorite: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
});
export type DealResponse = z.infer<typeof DealResponse>;

export const DealPage = pageOf(DealResponse);

/** The API view of a deal: other orgs appear by name, kind and status only. */
export const dealResponse = ({ deal, favorite, registration, registrations }: DealView): DealResponse => ({
  id: deal.id,
  engagementId: deal.engagementId,
  orgId: deal.orgId,
  direction: deal.direction,
  type: dealType(deal),
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
  crmId: deal.crmId ?? null,
  campaignId: deal.campaignId ?? null,
  notes: deal.notes ?? null,
  team: deal.team,
  solutions: deal.solutions,
  assessmentLocation: deal.assessmentLocation ?? null,
  participants: participantsSeenBy(deal).map(({ orgId, orgName, kind, status, team }) => ({
    orgId,
    orgName,
    kind,
    status,
    team,
  })),
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
  registration,
  registrations: registrations.map(({ orgId, orgName, registration: submitted, deal: partnerDeal }) => ({
    orgId,
    orgName,
    status: submitted.status,
    submittedAt: submitted.submittedAt,
    submission: {
      contractValue: submitted.contractValue ?? null,
      contractDate: submitted.contractDate ?? null,
      purchaseOrder: submitted.purchaseOrder ?? null,
      notes: submitted.notes ?? null,
      attachments: submitted.attachments ?? [],
    },
    deal: partnerDeal,
  })),
  lost: deal.lost ? { reason: deal.lost.reason, notes: deal.lost.notes ?? null } : null,
  closedAt: deal.closedAt ?? null,
  favorite,
  createdAt: deal.createdAt,
  updatedAt: deal.updatedAt,
  version: deal.version,
});

/** A deal response with its ETag, for every route that answers with one deal. */
export const dealResult = (status: number, view: DealView) => {
  const body = dealResponse(view);
  return { status, headers: { etag: etag(body.version) }, body };
};

/**
 * Who made a change: a member of the caller's org by user id and email; another org by id and name
 * only (never its people); the scheduled expiry job as `system`.
 */
export const HistoryActorResponse = z.union([
  z.strictObject({ orgId: z.string(), orgName: z.string(), sub: z.string(), email: z.string() }),
  z.strictObject({ orgId: z.string(), orgName: z.string() }),
  z.strictObject({ sub: z.literal('system'), email: z.string() }),
]);

export const HistoryEntryResponse = z.object({
  id: z.string(),
  at: Timestamp,
  actor: HistoryActorResponse,
  action: z.string(),
  /** Values as `from`/`to`; collections (team, solutions, review messages) as `added`/`removed` only. */
  changes: z.array(
    z.object({
      field: z.string(),
      from: z.unknown().optional(),
      to: z.unknown().optional(),
      added: z.array(z.unknown()).optional(),
      removed: z.array(z.unknown()).optional(),
    }),
  ),
});

export const HistoryPage = pageOf(HistoryEntryResponse);

const historyActorResponse = (actor: HistoryActorView): z.infer<typeof HistoryActorResponse> => {
  switch (actor.kind) {
    case 'member':
      return { orgId: actor.orgId, orgName: actor.orgName, sub: actor.sub, email: actor.email };
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
