import { removeMember } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { EmailParams } from '../schemas/identity.ts';

export const handler = memberRoute(
  { responses: { 204: null }, params: EmailParams },
  async ({ actor, deps, params }) => {
    await removeMember(deps, actor, { email: params.email });
    return { status: 204 };
  },
);
