import { authorizeInviteMember, inviteMember } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { InviteUserBody, MemberView, memberView } from '../schemas/identity.ts';

export const handler = memberRoute(
  {
    summary: 'Invite a person by email',
    description:
      'org-admin. Names a person by email with roles and locations (`status: invited`); the person signed in with that verified email sees the invitation at `GET /v1/me/invitations` and becomes an active member only by accepting it.',
    examples: {
      seller: {
        summary: 'Invite a seller for Germany and Austria',
        value: {
          email: 'dana.seller@fabrikam.example',
          name: 'Dana Seller',
          roles: ['referral-user'],
          locations: ['DE', 'AT'],
        },
      },
    },
    authorize: ({ actor }) => authorizeInviteMember(actor),
    responses: { 201: MemberView },
    body: InviteUserBody,
  },
  async ({ actor, deps, body }) => {
    const invitation = await inviteMember(deps, actor, body);
    return {
      status: 201,
      body: memberView(invitation),
      headers: { location: `/v1/org/users/${encodeURIComponent(invitation.email)}` },
    };
  },
);
