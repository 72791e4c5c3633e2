/** Who is signed in: their user, org (partner or host), roles and locations. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, dataOf } from '../common/api.ts';

export const sessionKeys = {
  me: ['me'] as const,
};

/**
 * The console signs in people only: an API client's answer (`{ client, org }`) never reaches it, so
 * one without `user` is refused rather than shown.
 */
const asPerson = <T extends object>(me: T): Extract<T, { user: unknown }> => {
  if (!('user' in me)) throw new Error('The console is for people; this token belongs to an API client.');
  return me as Extract<T, { user: unknown }>;
};

export const meQuery = queryOptions({
  queryKey: sessionKeys.me,
  queryFn: async () => asPerson(await dataOf(api.GET('/v1/me'))),
  staleTime: 5 * 60_000,
});

export const useMe = () => useQuery(meQuery);
