/** The org's reports. */
import { queryOptions } from '@tanstack/react-query';
import { api, dataOf } from '../common/api.ts';

export const reportKeys = {
  pipeline: ['report', 'pipeline'] as const,
};

export const reportQueries = {
  pipeline: () =>
    queryOptions({ queryKey: reportKeys.pipeline, queryFn: () => dataOf(api.GET('/v1/reports/pipeline')) }),
};
