/**
 * A change of one deal, as every deal action makes it: sends the ETag of the deal this page last
 * read as `If-Match` (a change made meanwhile answers 412), stores the answer and its new ETag as
 * the deal, and marks the lists and the history stale. `optimistic` shows the change before the answer.
 */
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, unwrap } from '../common/api.ts';
import { type Deal, type DealWithTag, dealKeys } from './queries.ts';

type Sent = Promise<{ data?: Deal; error?: unknown; response: Response }>;

const ifMatch = (client: QueryClient, id: string): Record<string, string> => {
  const etag = client.getQueryData<DealWithTag>(dealKeys.detail(id))?.etag;
  return etag ? { 'if-match': etag } : {};
};

export const useDealChange = <Input>(
  id: string,
  send: (input: Input, headers: Record<string, string>) => Sent,
  optimistic?: (deal: Deal, input: Input) => Deal,
) => {
  const client = useQueryClient();
  // The deal alone: its history and comments, keyed under it, refresh on their own terms.
  const theDeal = { queryKey: dealKeys.detail(id), exact: true };
  return useMutation({
    mutationFn: async (input: Input) => {
      const { data, response } = await unwrap(send(input, ifMatch(client, id)));
      return { deal: data, etag: response.headers.get('etag') };
    },
    onMutate: async (input) => {
      if (!optimistic) return undefined;
      await client.cancelQueries(theDeal);
      const previous = client.getQueryData<DealWithTag>(dealKeys.detail(id));
      if (previous)
        client.setQueryData(dealKeys.detail(id), { ...previous, deal: optimistic(previous.deal, input) });
      return { previous };
    },
    onError: (error, _input, context) => {
      if (context?.previous) client.setQueryData(dealKeys.detail(id), context.previous);
      // Someone changed the deal meanwhile: read it again so the next attempt carries the new tag.
      if (error instanceof ApiProblem && error.status === 412) void client.invalidateQueries(theDeal);
    },
    onSuccess: (result) => {
      // Some changes answer 204 (favorites, withdrawals): then the deal is read again.
      if (result.deal && typeof result.deal === 'object' && 'id' in result.deal)
        client.setQueryData(dealKeys.detail(id), { deal: result.deal, etag: result.etag });
      else void client.invalidateQueries(theDeal);
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: dealKeys.lists() });
      void client.invalidateQueries({ queryKey: dealKeys.history(id) });
    },
  });
};
