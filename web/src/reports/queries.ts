/** The org's reports. */
import { queryOptions } from '@tanstack/react-query';
import { api, dataOf } from '../common/api.ts';

export const reportKeys = {
  pipeline: (campaignId?: string) => ['report', 'pipeline', campaignId ?? null] as const,
};

export const reportQueries = {
  /** The pipeline report, of one campaign's deals when `campaignId` is given (the API's filter). */
  pipeline: (campaignId?: string) =>
    queryOptions({
      queryKey: reportKeys.pipeline(campaignId),
      queryFn: () =>
        dataOf(api.GET('/v1/reports/pipeline', { params: { query: campaignId ? { campaignId } : {} } })),
    }),
};
