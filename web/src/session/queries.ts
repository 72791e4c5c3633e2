/** Who is signed in: their user, org (partner or host), roles and locations. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, dataOf } from '../common/api.ts';

export const sessionKeys = {
  me: ['me'] as const,
};

export const meQuery = queryOptions({
  queryKey: sessionKeys.me,
  queryFn: () => dataOf(api.GET('/v1/me')),
  staleTime: 5 * 60_000,
});

export const useMe = () => useQuery(meQuery);
