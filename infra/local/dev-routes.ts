/**
 * The local-only /dev routes (docs/api.md "Local runtime only"): tokens, org onboarding, the domain
 * clock and on-demand jobs. They exist only in the local gateway; the cloud API has none of them.
 */
import * as z from 'zod';
import type { Deps } from '#domain/deps.ts';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import { CAPABILITIES } from '#domain/kernel/actor.ts';
import { NotFoundError } from '#domain/kernel/errors.ts';
import { type ControllableClock, isIsoDuration } from './clock.ts';
import type { DevJob } from './dev-jobs.ts';
import { TOKEN_LIFETIME_SECONDS, type TokenSubject } from './tokens.ts';

export type DevRequest = { body: unknown; params: Record<string, string>; requestId: string };
export type DevResult = { status: number; body?: unknown };

export type DevRoute = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handle: (request: DevRequest) => Promise<DevResult>;
};

export type DevRoutesContext = {
  /** Issues a token as the identity provider would: through the token trigger (runtime.ts `tokenFor`). */
  tokenFor: (subject: TokenSubject) => Promise<string>;
  clock: ControllableClock;
  deps: () => Deps;
  jobs: readonly DevJob[];
};

const tokenBody = z.strictObject({
  sub: z.string().min(1).max(128),
  email: z.email().optional(),
  emailVerified: z.boolean().optional(),
});

const orgBody = z.strictObject({
  name: z.string().min(1).max(200),
  kind: z.literal('partner', { error: 'Only partner orgs are onboarded here; the host org is seeded.' }),
  capabilities: z.array(z.enum(CAPABILITIES)).optional(),
  admin: z.strictObject({
    sub: z.string().min(1).max(128),
    email: z.email(),
    name: z.string().min(1).max(200),
  }),
});

const clockBody = z.union([
  z.strictObject({ now: z.iso.datetime({ offset: true }) }),
  z.strictObject({
    advance: z.string().refine(isIsoDuration, 'Use an ISO 8601 duration such as "P15D" or "PT2H".'),
  }),
]);

const clockView = (clock: ControllableClock) => ({
  now: clock.now().toISOString(),
  offsetMs: clock.offsetMs(),
  realNow: new Date().toISOString(),
});

export const createDevRoutes = (context: DevRoutesContext): DevRoute[] => [
  {
    method: 'POST',
    path: '/dev/tokens',
    handle: async ({ body }) => {
      const input = tokenBody.parse(body ?? {});
      // Without an email, use the member's stored one, as a real identity provider would know it.
      const email = input.email ?? (await context.deps().memberships.getActor(input.sub))?.email;
      const token = await context.tokenFor({
        sub: input.sub,
        ...(email ? { email } : {}),
        ...(input.emailVerified === undefined ? {} : { emailVerified: input.emailVerified }),
      });
      return { status: 200, body: { token, tokenType: 'Bearer', expiresIn: TOKEN_LIFETIME_SECONDS } };
    },
  },
  {
    method: 'POST',
    path: '/dev/orgs',
    handle: async ({ body }) => {
      const input = orgBody.parse(body ?? {});
      const org = await onboardOrg(context.deps(), input);
      return { status: 201, body: org };
    },
  },
  {
    method: 'GET',
    path: '/dev/clock',
    handle: async () => ({ status: 200, body: clockView(context.clock) }),
  },
  {
    method: 'POST',
    path: '/dev/clock',
    handle: async ({ body }) => {
      const input = clockBody.parse(body ?? {});
      if ('now' in input) context.clock.set(new Date(input.now));
      else context.clock.advance(input.advance);
      return { status: 200, body: clockView(context.clock) };
    },
  },
  {
    method: 'DELETE',
    path: '/dev/clock',
    handle: async () => {
      context.clock.reset();
      return { status: 200, body: clockView(context.clock) };
    },
  },
  {
    method: 'GET',
    path: '/dev/jobs',
    handle: async () => ({ status: 200, body: { jobs: context.jobs.map((job) => job.name) } }),
  },
  {
    method: 'POST',
    path: '/dev/jobs/{name}',
    handle: async ({ params }) => {
      const job = context.jobs.find((candidate) => candidate.name === params.name);
      if (!job) throw new NotFoundError(`The dev job "${params.name}"`);
      return { status: 200, body: { job: job.name, result: (await job.run()) ?? null } };
    },
  },
];
