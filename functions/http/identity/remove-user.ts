import { removeMember } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { SubParams } from '../schemas/identity.ts';

export const handler = memberRoute(
  { responses: { 204: null }, params: SubParams },
  async ({ actor, deps, params }) => {
    await removeMember(deps, actor, { sub: params.sub });
    return { status: 204 };
  },
);
