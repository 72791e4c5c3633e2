import { removeMember } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { EmailParams } from '../schemas/identity.ts';

export const handler = memberRoute(
  {
    summary: 'Remove a member',
    description:
      "org-admin. Removes a member; the last active org-admin stays (422 `last-admin`). From then on the person receives no email about the org's deals. An address that is no member of the caller's org is 404, as for an address nobody uses.",
    responses: { 204: null },
    params: EmailParams,
  },
  async ({ actor, deps, params }) => {
    await removeMember(deps, actor, { email: params.email });
    return { status: 204 };
  },
);
