/** The signed-in person's invitations: the orgs that invited their address, and the answers. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, dataOf } from '../common/api.ts';
import { sessionKeys } from '../session/queries.ts';

export const joinKeys = {
  invitations: ['my-invitations'] as const,
};

export const joinQueries = {
  invitations: () =>
    queryOptions({
      queryKey: joinKeys.invitations,
      queryFn: () => dataOf(api.GET('/v1/me/invitations')),
    }),
};

export const useAcceptInvitation = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (orgId: string) =>
      dataOf(api.POST('/v1/me/invitations/{orgId}/accept', { params: { path: { orgId } } })),
    onSuccess: (me) => {
      // The answer is the new membership: every page reads it from here on.
      client.setQueryData(sessionKeys.me, me);
      void client.invalidateQueries({ queryKey: joinKeys.invitations });
    },
  });
};

export const useDeclineInvitation = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (orgId: string) =>
      dataOf(api.POST('/v1/me/invitations/{orgId}/decline', { params: { path: { orgId } } })),
    onSettled: () => void client.invalidateQueries({ queryKey: joinKeys.invitations }),
  });
};
