import { updateMember } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { EmailParams, MemberView, memberView, UpdateUserBody } from '../schemas/identity.ts';

export const handler = memberRoute(
  {
    summary: "Change a member's roles or locations",
    description:
      "org-admin. Changes roles and locations of a member of the caller's org. Nobody gives themselves roles they do not hold (403), and the last active org-admin keeps the role (422 `last-admin`).",
    examples: {
      referralsAdmin: {
        summary: "Make a member a referrals admin for the org's German deals",
        value: { roles: ['referrals-admin'], locations: ['DE'] },
      },
    },
    responses: { 200: MemberView },
    body: UpdateUserBody,
    params: EmailParams,
  },
  async ({ actor, deps, body, params }) => ({
    status: 200,
    body: memberView(await updateMember(deps, actor, { ...body, email: params.email })),
  }),
);
