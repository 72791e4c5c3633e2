/**
 * The deals' server state: one key factory (every key starts with `deals`, lists under `list`,
 * one deal and what hangs off it under `detail`) and the queries built on it. The deal query keeps
 * the deal's ETag, which every change sends back as `If-Match` (use-deal-change.ts).
 */
import type { Schemas } from '@co-sell/client';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, dataOf, unwrap } from '../common/api.ts';
import type { View } from './labels.ts';

export type Deal = Schemas['DealResponse'];
export type Participant = Deal['participants'][number];
export type DealWithTag = { deal: Deal; etag: string | null };

/** `status` is one status or several, comma-separated (the closed view); `customer` a name prefix. */
export type DealFilters = {
  view: View;
  status?: string;
  customer?: string;
  /** `me`: only the caller's own deals. */
  owner?: 'me';
  cursor?: string;
  limit?: number;
};

export const dealKeys = {
  all: ['deals'] as const,
  lists: () => [...dealKeys.all, 'list'] as const,
  list: (filters: DealFilters) => [...dealKeys.lists(), filters] as const,
  detail: (id: string) => [...dealKeys.all, 'detail', id] as const,
  history: (id: string) => [...dealKeys.detail(id), 'history'] as const,
  ownerCandidates: (id: string) => [...dealKeys.detail(id), 'owner-candidates'] as const,
};

export const dealQueries = {
  list: ({ view, status, customer, owner, cursor, limit = 25 }: DealFilters) =>
    queryOptions({
      queryKey: dealKeys.list({ view, status, customer, owner, cursor, limit }),
      queryFn: () =>
        dataOf(
          api.GET('/v1/deals', {
            params: {
              query: {
                view,
                limit,
                ...(status ? { status } : {}),
                ...(customer ? { customer } : {}),
                ...(owner ? { owner } : {}),
                ...(cursor ? { cursor } : {}),
              },
            },
          }),
        ),
      // The page stays up while the next one loads.
      placeholderData: keepPreviousData,
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: dealKeys.detail(id),
      queryFn: async (): Promise<DealWithTag> => {
        const { data, response } = await unwrap(api.GET('/v1/deals/{id}', { params: { path: { id } } }));
        return { deal: data, etag: response.headers.get('etag') };
      },
    }),
  ownerCandidates: (id: string) =>
    queryOptions({
      queryKey: dealKeys.ownerCandidates(id),
      queryFn: () => dataOf(api.GET('/v1/deals/{id}/owner-candidates', { params: { path: { id } } })),
    }),
  history: (id: string) =>
    queryOptions({
      queryKey: dealKeys.history(id),
      queryFn: () =>
        dataOf(api.GET('/v1/deals/{id}/history', { params: { path: { id }, query: { limit: 50 } } })),
    }),
};
