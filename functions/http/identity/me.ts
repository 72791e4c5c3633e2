import { getMe } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { MeView, meView } from '../schemas/identity.ts';

export const handler = memberRoute(
  {
    summary: 'The caller',
    description:
      'The signed-in member: its org (name, kind, capabilities), roles and locations. The first request of a person invited by email makes them a member. An API client gets `{ client: { id, name, scopes }, org }`.',
    responses: { 200: MeView },
  },
  async ({ actor }) => ({
    status: 200,
    body: meView(getMe(actor)),
  }),
);
