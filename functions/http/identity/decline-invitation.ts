import { declineInvitation } from '#domain/identity/invitations.ts';
import { personRoute } from '../route.ts';
import { InvitationParams } from '../schemas/identity.ts';

export const handler = personRoute(
  {
    summary: "Decline an org's invitation",
    description:
      "Any signed-in person with a verified email, member or not. The org's open invitation of that address becomes `declined`: its admins see that the person refused, and may remove it to invite again. No open invitation of this org for the token's verified email is 404.",
    responses: { 204: null },
    params: InvitationParams,
    noBody: true,
  },
  async ({ deps, person, params }) => {
    await declineInvitation(deps, person, { orgId: params.orgId });
    return { status: 204 };
  },
);
