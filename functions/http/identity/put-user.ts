import { putMember } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { memberView, PutUserBody, SubParams } from '../schemas/identity.ts';

export const handler = memberRoute(
  { body: PutUserBody, params: SubParams },
  async ({ actor, deps, body, params }) => {
    const membership = await putMember(deps, actor, { ...body, sub: params.sub });
    return { status: 200, body: memberView(membership) };
  },
);
