/** Response shapes of the deal routes. What they hold of other orgs is decided in the domain. */
import * as z from 'zod';
import {
  DEAL_STATUSES,
  DEAL_TEXT_FIELDS,
  DEAL_TYPES,
  DECLINE_REASONS,
  type DealText,
  DIRECTIONS,
  EXPORT_STATUSES,
  HELP_TYPES,
  INVITEE_KINDS,
  LOST_REASONS,
  REGISTRATION_STATUSES,
  REGISTRATION_UNMET,
  REVIEW_DECISIONS,
  STAGES,
} from '#domain/deals/model.ts';
import { DEAL_ACTIONS } from '#domain/deals/rules/actions.ts';
import { SETTABLE_STAGES } from '#domain/deals/rules/stages.ts';
import { ORG_KINDS } from '#domain/kernel/actor.ts';
import { CustomerContact, IsoDate, Money, Person, pageOf, Timestamp } from '../common.ts';

const ParticipantView = z.object({
  orgId: z.string(),
  orgName: z.string(),
  kind: z.enum(ORG_KINDS),
  status: z.enum(DEAL_STATUSES),
  team: z
    .array(Person)
    .describe(
      "The org's deal team (its first 10 members) while it takes part, once the caller's org takes part too; otherwise empty. Always empty in `GET /v1/deals` pages: read the deal for the teams.",
    ),
  actions: z
    .array(z.enum(['withdraw']))
    .describe("`withdraw` when the caller's deal sent this org's invitation and it is not answered yet."),
});

const ReviewMessages = z.array(
  z.object({ at: Timestamp, decision: z.enum(REVIEW_DECISIONS), text: z.string() }),
);

/** A registration's evidence as submitted. */
const Submission = z.object({
  contractValue: Money.nullable(),
  contractDate: IsoDate.nullable(),
  purchaseOrder: z.string().nullable(),
  notes: z.string().nullable(),
  attachments: z.array(z.object({ id: z.string(), fileName: z.string() })),
});

/** A deal's owner: a member of the deal's organization. */
export const DealOwner = z.object({ email: z.string(), name: z.string() });

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
  ...(Object.fromEntries(DEAL_TEXT_FIELDS.map((field) => [field, z.string().nullable()])) as Record<
    DealText,
    z.ZodNullable<z.ZodString>
  >),
  team: z.array(Person),
  owner: DealOwner.nullable().describe(
    "The one person of the deal's organization who answers for it; null while nobody does.",
  ),
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
    messages: ReviewMessages,
    submission: Submission.nullable().describe(
      'What the org last submitted, so a resubmission can start from it (its files included).',
    ),
  }),
  /** The host's deal only: the partners' registrations of this engagement. */
  registrations: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      status: z.enum(REGISTRATION_STATUSES),
      submittedAt: Timestamp,
      submission: Submission,
      messages: ReviewMessages.describe("The host's messages to the partner in this review, oldest first."),
      deal: z
        .object({ value: Money, closeDate: IsoDate, solutions: z.array(z.string()) })
        .describe("The partner deal's value, close date and solutions as they are now."),
    }),
  ),
  lost: z.object({ reason: z.enum(LOST_REASONS), notes: z.string().nullable() }).nullable(),
  closedAt: Timestamp.nullable(),
  favorite: z.boolean(),
  actions: z
    .array(z.enum(DEAL_ACTIONS))
    .describe(
      'What the caller may do to the deal now; a client offers exactly these. Anything else keeps answering 403, 404, 409 or 422.',
    ),
  stageChoices: z
    .object({
      stages: z
        .array(z.enum(SETTABLE_STAGES))
        .describe('The standard stages `POST /v1/deals/{id}/stage` takes now, in pipeline order.'),
      companyStage: z
        .boolean()
        .describe('Whether the stage route takes a company stage (`stageName`, `probability`) now.'),
      sequence: z
        .array(z.enum(STAGES))
        .nullable()
        .describe("A solution-assessment deal's mandatory stages in order; `null` for other deals."),
      outcomes: z
        .array(z.enum(['won', 'lost']))
        .describe(
          'The outcomes `POST /v1/deals/{id}/close` takes now (won only once a sequence is complete).',
        ),
    })
    .describe('Where the deal may move now, as the stage and close routes decide it.'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int(),
});
export type DealResponse = z.infer<typeof DealResponse>;

export const DealPage = pageOf(DealResponse);

/** `GET /v1/deals/{id}/owner-candidates`: whom the caller may make the deal's owner. */
export const OwnerCandidates = z.object({ items: z.array(DealOwner) });

/**
 * Who made a change: a member of the caller's org by user id and email; another org by id and name
 * only (never its people); the scheduled expiry job as `system`.
 */
export const HistoryActorResponse = z.union([
  z.strictObject({ orgId: z.string(), orgName: z.string(), sub: z.string(), email: z.string() }),
  z.strictObject({ orgId: z.string(), orgName: z.string(), client: z.string() }),
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

/** An export job as its asker sees it. */
export const ExportResponse = z.object({
  id: z.string(),
  status: z.enum(EXPORT_STATUSES),
  rows: z.number().int().min(0).describe('The deals in the file (0 until it is ready).'),
  createdAt: Timestamp,
  downloadUrl: z
    .string()
    .optional()
    .describe(
      'Once ready: a presigned `GET` of the CSV file (an attachment named `deals-<YYYY-MM-DD>.csv`).',
    ),
  expiresAt: Timestamp.optional().describe('Once ready: when `downloadUrl` stops working.'),
});
export type ExportResponse = z.infer<typeof ExportResponse>;
