/** Shapes of the partner search and suggestions, recent contacts and pipeline report routes (docs/domain.md §8). */
import * as z from 'zod';
import { DEAL_STATUSES, HELP_TYPES, STAGES } from '#domain/deals/model.ts';
import {
  DEFAULT_SUGGESTIONS,
  MAX_SUGGESTIONS,
  type PartnerSuggestions,
} from '#domain/deals/use-cases/suggest-partners.ts';
import type { RankedPartner } from '#domain/insights/partners.ts';
import type { PipelineReport as Report } from '#domain/insights/pipeline.ts';
import { SUGGESTION_BASES, SUGGESTION_REASON_CODES } from '#domain/insights/suggestions.ts';
import { CAPABILITIES } from '#domain/kernel/actor.ts';
import { LIMITS } from '#domain/kernel/limits.ts';
import { ExternalId, PageQuery, Person, pageOf } from './common.ts';

export const PartnerSearchQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1, 'Type at least one character of the name.')
    .max(LIMITS.name)
    .meta({ examples: ['Fab'] }),
  ...PageQuery,
});

export const PartnerResponse = z.object({
  id: z.string(),
  name: z.string(),
  capabilities: z.array(z.enum(CAPABILITIES)),
  responsiveness: z.object({
    medianResponseHours: z.number().nullable(),
    answerRate: z.number().min(0).max(1).nullable(),
    answered: z.number().int(),
    invitations: z.number().int(),
  }),
});
export const PartnerPage = pageOf(PartnerResponse);

export const partnerResponse = ({ org, responsiveness }: RankedPartner): z.infer<typeof PartnerResponse> => ({
  id: org.id,
  name: org.name,
  capabilities: org.capabilities,
  responsiveness,
});

export const PipelineQuery = z.strictObject({ campaignId: ExternalId.optional() });

export const RecentContactsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const RecentContactsResponse = z.object({ items: z.array(Person) });

const Bucket = z.object({ count: z.number().int(), value: z.record(z.string(), z.number()) });
/** A bucket per value as a named property (not a record keyed by the enum), so the document lists each key. */
const bucketsOf = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((key) => [key, Bucket])) as Record<K, typeof Bucket>);

export const PipelineReport = z.object({
  byStatus: bucketsOf(DEAL_STATUSES),
  byStage: bucketsOf(STAGES),
  /** By campaign id: the counted deals that carry one (campaign ROI). */
  byCampaign: z.record(z.string(), Bucket),
  winRate: z.number().min(0).max(1).nullable(),
  medianResponseHours: z.number().nullable(),
  dealsCounted: z.number().int(),
  truncated: z.boolean(),
}) satisfies z.ZodType<Report>;

export const PartnerSuggestionsQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int('Ask for a whole number of suggestions.')
    .min(1, 'Ask for at least one suggestion.')
    .max(MAX_SUGGESTIONS, `Ask for at most ${MAX_SUGGESTIONS} suggestions.`)
    .default(DEFAULT_SUGGESTIONS),
  helpType: z
    .enum(HELP_TYPES)
    .optional()
    .describe('The help the invitation will ask for: partners who accepted such requests rank higher.'),
});

export const PartnerSuggestionsResponse = z.object({
  basis: z
    .enum(SUGGESTION_BASES)
    .describe(
      '`similar-deals` when candidates have answered deals like this one; `responsiveness` when none has yet, so the ranking falls back to how quickly partners answer invitations.',
    ),
  items: z.array(
    z.object({
      org: z.object({ id: z.string(), name: z.string() }),
      score: z.number().min(0).max(1),
      reasons: z.array(z.object({ code: z.enum(SUGGESTION_REASON_CODES), text: z.string() })),
      solutions: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),
}) satisfies z.ZodType<PartnerSuggestions>;
