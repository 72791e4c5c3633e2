/** A deal's comments: kept under the deal's key, refreshed when one is added. */
import type { Schemas } from '@co-sell/client';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, dataOf } from '../common/api.ts';
import { dealKeys } from '../deals/queries.ts';

export type CommentBody = Schemas['AddCommentBody'];

export const commentKeys = {
  list: (dealId: string) => [...dealKeys.detail(dealId), 'comments'] as const,
};

export const commentQueries = {
  list: (dealId: string) =>
    queryOptions({
      queryKey: commentKeys.list(dealId),
      queryFn: () =>
        dataOf(
          api.GET('/v1/deals/{id}/comments', { params: { path: { id: dealId }, query: { limit: 50 } } }),
        ),
    }),
};

export const useAddComment = (dealId: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CommentBody) =>
      dataOf(api.POST('/v1/deals/{id}/comments', { params: { path: { id: dealId } }, body })),
    // Not awaited: the form clears (the caller's onSuccess) before the refreshed list shows the comment.
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: commentKeys.list(dealId) });
    },
  });
};
