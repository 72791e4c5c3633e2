import { putMember } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { MemberView, memberView, PutUserBody, SubParams } from '../schemas/identity.ts';

export const handler = memberRoute(
  { responses: { 200: MemberView }, body: PutUserBody, params: SubParams },
  async ({ actor, deps, body, params }) => {
    const membership = await putMember(deps, actor, { ...body, sub: params.sub });
    return { status: 200, body: memberView(membership) };
  },
);
