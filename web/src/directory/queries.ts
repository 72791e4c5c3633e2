/**
 * The directory the wizard and the invitations search: customers by country and name prefix,
 * partners ranked by fit and responsiveness, the solution catalog, and the people the caller's org
 * put on deals lately.
 */
import { queryOptions } from '@tanstack/react-query';
import { api, dataOf } from '../common/api.ts';

/** The catalog's groups, in the order the wizard shows them. */
export const SOLUTION_GROUPS = [
  { owner: 'mine', label: 'Your solutions' },
  { owner: 'host', label: 'Host solutions' },
  { owner: 'partners', label: "Other partners' solutions" },
  { owner: 'assessment', label: 'Assessments' },
] as const;

export const directoryKeys = {
  customers: (country: string, prefix: string) => ['customers', country, prefix] as const,
  partners: (q: string) => ['partners', q] as const,
  partnerSuggestions: (dealId: string) => ['partners', 'suggested', dealId] as const,
  solutions: ['solutions', 'catalog'] as const,
  recentContacts: ['contacts', 'recent'] as const,
};

export const directoryQueries = {
  customers: (country: string, prefix: string) =>
    queryOptions({
      queryKey: directoryKeys.customers(country, prefix),
      queryFn: () =>
        dataOf(api.GET('/v1/customers', { params: { query: { country, q: prefix, limit: 10 } } })),
    }),
  partners: (q: string) =>
    queryOptions({
      queryKey: directoryKeys.partners(q),
      queryFn: () => dataOf(api.GET('/v1/partners', { params: { query: { q, limit: 10 } } })),
    }),
  partnerSuggestions: (dealId: string) =>
    queryOptions({
      queryKey: directoryKeys.partnerSuggestions(dealId),
      queryFn: () =>
        dataOf(
          api.GET('/v1/deals/{id}/partner-suggestions', {
            params: { path: { id: dealId }, query: { limit: 5 } },
          }),
        ),
      // A refusal (the deal cannot invite partners) is an answer, not a glitch to retry.
      retry: false,
    }),
  solutions: () =>
    queryOptions({
      queryKey: directoryKeys.solutions,
      queryFn: () =>
        Promise.all(
          SOLUTION_GROUPS.map(async (group) => ({
            ...group,
            items: (
              await dataOf(
                api.GET('/v1/solutions', { params: { query: { owner: group.owner, limit: 100 } } }),
              )
            ).items,
          })),
        ),
    }),
  recentContacts: () =>
    queryOptions({
      queryKey: directoryKeys.recentContacts,
      queryFn: () => dataOf(api.GET('/v1/contacts/recent')),
    }),
};
