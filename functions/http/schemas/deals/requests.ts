/** Request shapes of the deal routes: bodies, queries and path parameters. */
import * as z from 'zod';
import {
  DEAL_STATUSES,
  DEAL_TEXT_FIELDS,
  DEAL_TEXTS,
  DEAL_TYPES,
  DECLINE_REASONS,
  type DealStatus,
  type DealText,
  FILTER_TEXTS,
  type FilterText,
  HELP_TYPES,
  LOST_REASONS,
  REVIEW_DECISIONS,
} from '#domain/deals/model.ts';
import { SYNC_SETTLE_MS } from '#domain/deals/rules/deal-filter.ts';
import { SETTABLE_STAGES } from '#domain/deals/rules/stages.ts';
import { LIMITS } from '#domain/kernel/limits.ts';
import {
  Country,
  CustomerContact,
  Email,
  ExternalId,
  Id,
  IsoDate,
  Money,
  Notes,
  PageQuery,
  Person,
} from '../common.ts';

/** The API shape of each text format the domain's `DEAL_TEXTS` names. */
const TEXT_FORMATS: Record<(typeof DEAL_TEXTS)[DealText]['format'], z.ZodString> = {
  notes: Notes,
  'external-id': ExternalId,
};

/** Every text of the deal (`DEAL_TEXTS`) as a field, shaped per route: optional, or also `null` to clear. */
const dealTexts = <T extends z.ZodType>(shape: (text: z.ZodString) => T) =>
  Object.fromEntries(
    DEAL_TEXT_FIELDS.map((field) => [field, shape(TEXT_FORMATS[DEAL_TEXTS[field].format])]),
  ) as Record<DealText, T>;

/** The filter texts as optional query parameters: each matches exactly. */
const filterTexts = Object.fromEntries(
  FILTER_TEXTS.map((field) => [field, TEXT_FORMATS[DEAL_TEXTS[field].format].optional()]),
) as Record<FilterText, z.ZodOptional<z.ZodString>>;

const DealName = z.string().trim().min(1).max(LIMITS.name);
const Team = z.array(Person).min(1, 'Name at least one team member.').max(LIMITS.teamMembers);
const SolutionIds = z.array(Id).min(1, 'Name at least one solution.').max(LIMITS.solutionsPerDeal);

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
  ...dealTexts((text) => text.optional()),
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
  ...dealTexts((text) => text.optional()),
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
    ...dealTexts((text) => text.nullable().optional()),
    team: Team.optional(),
    solutions: SolutionIds.optional(),
    customer: z
      .strictObject({
        id: fixedField(
          'The customer is fixed when the deal is created; create a new deal for another customer.',
        ),
        contact: CustomerContact.optional(),
        consentToShareWithHost: z.boolean().optional(),
      })
      .refine((customer) => customer.contact !== undefined || customer.consentToShareWithHost !== undefined, {
        error: "Give the customer's contact, its consent to share it with the host, or both.",
      })
      .optional()
      .describe(
        'The customer contact and its consent to share it with the host; the customer itself cannot change. Adding the contact lets a private or partner-to-partner deal invite the host.',
      ),
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
  ...filterTexts,
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
  owner: z
    .union([z.literal('me'), z.literal('none'), Email])
    .optional()
    .meta({
      description:
        "Whose deals: `me` (the caller's), a member's email, or `none` (deals nobody owns). Served by the owner index, newest first within the tab.",
      examples: ['me', 'none', 'ana@fabrikam.example'],
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

/** `POST /v1/deals/exports`: the list's tab and filters, as `GET /v1/deals` takes them, without paging. */
export const ExportDealsBody = ListDealsQuery.omit({ limit: true, cursor: true });

export const HistoryQuery = z.strictObject(PageQuery);

/** `DELETE /v1/deals/{id}/invitations/{orgId}`: the inviting deal and the invited org. */
export const InvitationParams = z.strictObject({ id: Id, orgId: Id });

/** `PUT /v1/deals/{id}/owner`: the member who is to answer for the deal. */
export const AssignOwnerBody = z.strictObject({
  email: Email.meta({ description: "A current member of the deal's organization who may see the deal." }),
});
