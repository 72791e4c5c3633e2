/** The org's members, for its admins: the list, inviting someone, removing someone. */
import type { Schemas } from '@co-sell/client';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, dataOf } from '../common/api.ts';

export const memberKeys = {
  all: ['org-users'] as const,
};

export const memberQueries = {
  list: () =>
    queryOptions({
      queryKey: memberKeys.all,
      queryFn: () => dataOf(api.GET('/v1/org/users', { params: { query: { limit: 100 } } })),
    }),
};

export const useInviteMember = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['InviteUserBody']) => dataOf(api.POST('/v1/org/users', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: memberKeys.all }),
  });
};

export const useRemoveMember = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (email: string) =>
      dataOf(api.DELETE('/v1/org/users/{email}', { params: { path: { email } } })),
    onSettled: () => void client.invalidateQueries({ queryKey: memberKeys.all }),
  });
};

export const useUpdateMember = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ email, body }: { email: string; body: Schemas['UpdateUserBody'] }) =>
      dataOf(api.PATCH('/v1/org/users/{email}', { params: { path: { email } }, body })),
    onSettled: () => void client.invalidateQueries({ queryKey: memberKeys.all }),
  });
};
