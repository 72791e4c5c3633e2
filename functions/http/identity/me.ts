import { getMe } from '#domain/identity/members.ts';
import { memberRoute } from '../route.ts';
import { meView } from '../schemas/identity.ts';

export const handler = memberRoute({}, async ({ actor }) => ({ status: 200, body: meView(getMe(actor)) }));
