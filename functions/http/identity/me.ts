import { getMe } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { MeView, meView } from '../schemas/identity.ts';

export const handler = memberRoute({ responses: { 200: MeView } }, async ({ actor }) => ({
  status: 200,
  body: meView(getMe(actor)),
}));
