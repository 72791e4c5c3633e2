import { acceptInvitation } from '#domain/identity/invitations.ts';
import { personRoute } from '../route.ts';
import { InvitationParams, MeView, meView } from '../schemas/identity.ts';

export const handler = personRoute(
  {
    summary: 'Join an org by accepting its invitation',
    description:
      "Any signed-in person with a verified email. Joins the org whose invitation of that address is open, with the roles and locations it names, and answers as `GET /v1/me`. A person belongs to one org: while a member of another, 409 `already-a-member`; accepting the org one already belongs to answers the membership again. No open invitation of this org for the token's verified email is 404.",
    responses: { 200: MeView },
    params: InvitationParams,
    noBody: true,
  },
  async ({ deps, person, params }) => ({
    status: 200,
    body: meView(await acceptInvitation(deps, person, { orgId: params.orgId })),
  }),
);
