import { inviteMember } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { InviteUserBody, MemberView, memberView } from '../schemas/identity.ts';

export const handler = memberRoute(
  { responses: { 201: MemberView }, body: InviteUserBody, summary: 'Invite a person by email' },
  async ({ actor, deps, body }) => {
    const invitation = await inviteMember(deps, actor, body);
    return {
      status: 201,
      body: memberView(invitation),
      headers: { location: `/v1/org/users/${encodeURIComponent(invitation.email)}` },
    };
  },
);
