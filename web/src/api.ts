/**
 * Server state: every call goes through the typed client (paths, bodies and answers typed from the
 * API's OpenAPI document) and TanStack Query (caching, retries, invalidation). A problem+json
 * answer becomes an `ApiProblem`, whose `errors[].path` lets a form put each message next to the
 * field it names. The deal page keeps the deal's ETag and sends it back as `If-Match`.
 */
import { createCoSellClient, type Schemas } from '@co-sell/client';
import { QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { currentToken, signInPath, signOut } from './auth.ts';
import { navigate } from './router.tsx';

export type Deal = Schemas['DealResponse'];
export type DealStatus = Deal['status'];
export type Problem = Schemas['Problem'];
export type Person = Schemas['Person'];
export type Money = Schemas['Money'];
export type InviteBody = Schemas['InviteBody'];
export type PartnerInvite = NonNullable<InviteBody['partners']>[number];
export type HelpType = PartnerInvite['helpType'];
export type View = 'inbound' | 'outbound' | 'favorites';
export type Comment = Schemas['CommentResponse'];
export type CommentBody = Schemas['AddCommentBody'];

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  /** The messages of the fields at or under `path` (`value` matches `value.amount`). */
  fieldErrors(path: string): string[] {
    return (this.problem.errors ?? [])
      .filter((error) => error.path === path || error.path.startsWith(`${path}.`))
      .map((error) => error.message);
  }
}

export const api = createCoSellClient({
  baseUrl: window.location.origin,
  token: () => currentToken() ?? '',
});

/** The result of a typed call, or the problem it answered with (thrown, so queries and mutations see it). */
const unwrap = async <T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; response: Response }> => {
  const { data, error, response } = await call;
  if (response.status === 401) {
    // An expired or missing token: back to sign-in, then back here.
    signOut();
    navigate(signInPath(window.location.pathname + window.location.search), { replace: true });
  }
  if (error !== undefined || !response.ok) {
    const problem = (error ?? {}) as Partial<Problem>;
    throw new ApiProblem({
      type: problem.type ?? 'about:blank',
      title: problem.title ?? response.statusText,
      status: problem.status ?? response.status,
      detail: problem.detail ?? `The request failed (${response.status}).`,
      instance: problem.instance ?? '',
      code: problem.code ?? 'unknown',
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
  }
  return { data: data as T, response };
};

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A 4xx will not change by asking again; a network error or a 5xx might.
      retry: (count, error) => count < 2 && !(error instanceof ApiProblem && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

export const keys = {
  me: ['me'] as const,
  deals: (view: View, status: string, customer: string, cursor: string) =>
    ['deals', view, status, customer, cursor] as const,
  allDeals: ['deals'] as const,
  deal: (id: string) => ['deal', id] as const,
  history: (id: string) => ['history', id] as const,
  comments: (id: string) => ['comments', id] as const,
};

export const useMe = () =>
  useQuery({
    queryKey: keys.me,
    queryFn: async () => (await unwrap(api.GET('/v1/me'))).data,
    staleTime: 5 * 60_000,
  });

/** `status` is one status or several, comma-separated (the closed view); `customer` a name prefix. */
export const useDeals = (view: View, status: string, customer: string, cursor: string, limit = 25) =>
  useQuery({
    queryKey: keys.deals(view, status, customer, cursor),
    queryFn: async () =>
      (
        await unwrap(
          api.GET('/v1/deals', {
            params: {
              query: {
                view,
                limit,
                ...(status ? { status } : {}),
                ...(customer ? { customer } : {}),
                ...(cursor ? { cursor } : {}),
              },
            },
          }),
        )
      ).data,
    placeholderData: (previous) => previous,
  });

export type DealWithTag = { deal: Deal; etag: string | null };

export const useDeal = (id: string) =>
  useQuery({
    queryKey: keys.deal(id),
    queryFn: async (): Promise<DealWithTag> => {
      const { data, response } = await unwrap(api.GET('/v1/deals/{id}', { params: { path: { id } } }));
      return { deal: data, etag: response.headers.get('etag') };
    },
  });

export const useHistory = (id: string) =>
  useQuery({
    queryKey: keys.history(id),
    queryFn: async () =>
      (await unwrap(api.GET('/v1/deals/{id}/history', { params: { path: { id }, query: { limit: 50 } } })))
        .data,
  });

export const useComments = (id: string) =>
  useQuery({
    queryKey: keys.comments(id),
    queryFn: async () =>
      (await unwrap(api.GET('/v1/deals/{id}/comments', { params: { path: { id }, query: { limit: 50 } } })))
        .data,
  });

export const useAddComment = (id: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: CommentBody) =>
      (await unwrap(api.POST('/v1/deals/{id}/comments', { params: { path: { id } }, body }))).data,
    // Not awaited: the form clears (the caller's onSuccess) before the refreshed list shows the comment.
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.comments(id) });
    },
  });
};

/**
 * Uploads one file as an attachment of the deal: the API records it and answers a presigned PUT,
 * which must carry exactly the declared content type. A refusal names `attachments`, the field
 * the register form shows files in.
 */
export const uploadAttachment = async (dealId: string, file: File): Promise<string> => {
  const contentType = file.type || 'application/octet-stream';
  let upload: Schemas['UploadResponse'];
  try {
    upload = (
      await unwrap(
        api.POST('/v1/deals/{id}/attachments', {
          params: { path: { id: dealId } },
          body: { fileName: file.name, contentType, size: file.size },
        }),
      )
    ).data;
  } catch (failure) {
    if (!(failure instanceof ApiProblem)) throw failure;
    throw new ApiProblem({
      ...failure.problem,
      errors: [{ path: 'attachments', message: `${file.name}: ${failure.problem.detail}` }],
    });
  }
  const put = await fetch(upload.uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: file,
  });
  if (!put.ok) throw new Error(`The upload of ${file.name} failed (${put.status}).`);
  return upload.id;
};

/** A short-lived download URL of an attachment (409 `file-not-ready` until scanned clean). */
export const downloadUrlOf = async (dealId: string, attachmentId: string): Promise<string> =>
  (
    await unwrap(
      api.GET('/v1/deals/{id}/attachments/{attachmentId}', {
        params: { path: { id: dealId, attachmentId } },
      }),
    )
  ).data.downloadUrl;

/** `If-Match` with the tag of the deal this page last read: a change made meanwhile answers 412. */
const ifMatch = (client: ReturnType<typeof useQueryClient>, id: string): Record<string, string> => {
  const etag = client.getQueryData<DealWithTag>(keys.deal(id))?.etag;
  return etag ? { 'if-match': etag } : {};
};

/**
 * A change of one deal: sends the cached ETag, stores the answer (and its new ETag) as the deal,
 * and marks the lists and the history stale. `optimistic` shows the change before the answer.
 */
export const useDealChange = <Input>(
  id: string,
  send: (
    input: Input,
    headers: Record<string, string>,
  ) => Promise<{ data?: Deal; error?: unknown; response: Response }>,
  optimistic?: (deal: Deal, input: Input) => Deal,
) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: Input) => {
      const { data, response } = await unwrap(send(input, ifMatch(client, id)));
      return { deal: data, etag: response.headers.get('etag') };
    },
    onMutate: async (input) => {
      if (!optimistic) return undefined;
      await client.cancelQueries({ queryKey: keys.deal(id) });
      const previous = client.getQueryData<DealWithTag>(keys.deal(id));
      if (previous)
        client.setQueryData(keys.deal(id), { ...previous, deal: optimistic(previous.deal, input) });
      return { previous };
    },
    onError: (error, _input, context) => {
      if (context?.previous) client.setQueryData(keys.deal(id), context.previous);
      // Someone changed the deal meanwhile: read it again so the next attempt carries the new tag.
      if (error instanceof ApiProblem && error.status === 412)
        void client.invalidateQueries({ queryKey: keys.deal(id) });
    },
    onSuccess: (result) => {
      if (result.deal && typeof result.deal === 'object' && 'id' in result.deal)
        client.setQueryData(keys.deal(id), { deal: result.deal, etag: result.etag });
      else void client.invalidateQueries({ queryKey: keys.deal(id) });
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.allDeals });
      void client.invalidateQueries({ queryKey: keys.history(id) });
    },
  });
};

export { unwrap };
