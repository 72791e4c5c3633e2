import { listMembers } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { ListUsersQuery, MemberPage, memberView } from '../schemas/identity.ts';

export const handler = memberRoute(
  {
    summary: "List the org's members",
    description: "org-admin. The org's members, `invited` and `active`, paged by email.",
    responses: { 200: MemberPage },
    query: ListUsersQuery,
  },
  async ({ actor, deps, query, page, pageBody }) => {
    const members = await listMembers(deps, actor, { page: page(query.limit, query.cursor) });
    return { status: 200, body: pageBody(members, memberView) };
  },
);
