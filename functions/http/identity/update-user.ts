import { updateMember } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { EmailParams, MemberView, memberView, UpdateUserBody } from '../schemas/identity.ts';

export const handler = memberRoute(
  { responses: { 200: MemberView }, body: UpdateUserBody, params: EmailParams },
  async ({ actor, deps, body, params }) => ({
    status: 200,
    body: memberView(await updateMember(deps, actor, { ...body, email: params.email })),
  }),
);
