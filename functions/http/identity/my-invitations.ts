import { listInvitations } from '#domain/identity/invitations.ts';
import { personRoute } from '../route.ts';
import { InvitationOffers, invitationOffersView } from '../schemas/identity.ts';

export const handler = personRoute(
  {
    summary: 'The invitations of the signed-in person',
    description:
      "Any signed-in person, member or not. The orgs whose invitation of the token's verified email is still open, newest first, each with the roles it offers. A token whose `email_verified` is false sees none.",
    responses: { 200: InvitationOffers },
  },
  async ({ deps, person }) => ({
    status: 200,
    body: invitationOffersView(await listInvitations(deps, person)),
  }),
);
