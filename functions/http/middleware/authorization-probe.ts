/**
 * Before an `Idempotency-Key` replays a response, the route's own checks must pass for this caller
 * (docs/api.md "Conventions"): whoever gets 403/404 without the key gets exactly that with it. Rather
 * than restating every use case's authorization here, the route runs again with ports that answer
 * reads and stop at the first write: a use case decides who may do what before it writes anything,
 * so reaching a write means every check passed. A refusal (403/404) is what the caller gets; any
 * other outcome (a 409 because the first request already changed the deal, say) is what the
 * stored response answers for.
 */
import type { Deps } from '#domain/deps.ts';
import { toProblem } from '../problem.ts';

// Clock, ids and back-off pauses change nothing stored.
type Port = Exclude<keyof Deps, 'clock' | 'ids' | 'backoff'>;
type MethodsOf<T> = { [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

/**
 * Every port method, read or write. The type makes the list exhaustive, so a new port method
 * cannot be added without deciding whether the probe may call it.
 */
const ACCESS: { [P in Port]: Record<MethodsOf<Deps[P]>, 'read' | 'write'> } = {
  orgs: { get: 'read', create: 'write', searchPartners: 'read', getHost: 'read', ping: 'read' },
  memberships: {
    getActor: 'read',
    get: 'read',
    listByOrg: 'read',
    findInvitations: 'read',
    invite: 'write',
    bind: 'write',
    update: 'write',
    remove: 'write',
  },
  customers: {
    create: 'write',
    get: 'read',
    searchByName: 'read',
    getByDuns: 'read',
    update: 'write',
    retire: 'write',
  },
  solutions: { create: 'write', get: 'read', getMany: 'read', list: 'read', update: 'write' },
  deals: {
    commit: 'write',
    invitationRates: 'read',
    readForCaller: 'read',
    dueInvitations: 'read',
    get: 'read',
    list: 'read',
    listFavorites: 'read',
    setFavorite: 'write',
    recentDeals: 'read',
    history: 'read',
  },
  responsiveness: { counters: 'read' },
  attachments: { create: 'write', get: 'read', listByDeal: 'read', update: 'write' },
  // A signed upload URL lets its holder write: issuing one counts as the write.
  files: { uploadUrl: 'write', downloadUrl: 'read', inspect: 'read', freeze: 'write' },
  webhooks: {
    list: 'read',
    get: 'read',
    create: 'write',
    update: 'write',
    remove: 'write',
    addDelivery: 'write',
    getDelivery: 'read',
    listDeliveries: 'read',
    dueDeliveries: 'read',
    claim: 'write',
    record: 'write',
  },
  comments: {
    add: 'write',
    list: 'read',
    commentsSince: 'read',
    digestMark: 'read',
    putDigestMark: 'write',
    markDigestOwed: 'write',
    dueDigests: 'read',
  },
  apiClients: { listByOrg: 'read', get: 'read', create: 'write', remove: 'write' },
  // Registering with the identity provider makes a credential: it counts as the write.
  clientCredentials: { register: 'write', revoke: 'write' },
  identityProvider: { ensureUser: 'write', signOutEverywhere: 'write', disable: 'write' },
};

/** Thrown by the first write: the route got past all of its checks. */
class ChecksPassed extends Error {}

const readOnly = <T extends object>(port: T, access: Record<string, 'read' | 'write'>): T =>
  new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      // Anything not known as a read counts as a write: the probe never changes data.
      if (typeof property === 'string' && access[property] === 'read') return value.bind(target);
      return () => Promise.reject(new ChecksPassed());
    },
  });

/** The same ports, with every write replaced by "the checks passed". */
export const withoutWrites = (deps: Deps): Deps => ({
  ...deps,
  orgs: readOnly(deps.orgs, ACCESS.orgs),
  memberships: readOnly(deps.memberships, ACCESS.memberships),
  customers: readOnly(deps.customers, ACCESS.customers),
  solutions: readOnly(deps.solutions, ACCESS.solutions),
  deals: readOnly(deps.deals, ACCESS.deals),
  responsiveness: readOnly(deps.responsiveness, ACCESS.responsiveness),
  attachments: readOnly(deps.attachments, ACCESS.attachments),
  files: readOnly(deps.files, ACCESS.files),
  webhooks: readOnly(deps.webhooks, ACCESS.webhooks),
  comments: readOnly(deps.comments, ACCESS.comments),
  apiClients: readOnly(deps.apiClients, ACCESS.apiClients),
  clientCredentials: readOnly(deps.clientCredentials, ACCESS.clientCredentials),
  identityProvider: readOnly(deps.identityProvider, ACCESS.identityProvider),
});

const REFUSALS: ReadonlySet<number> = new Set([401, 403, 404]);

/**
 * Runs the route's checks for this caller (`route` must be the route's function over
 * `withoutWrites` ports). Resolves when a replay may answer; rethrows a refusal.
 */
export const checkRouteFor = async (route: () => Promise<unknown>): Promise<void> => {
  try {
    await route();
  } catch (error) {
    if (error instanceof ChecksPassed) return;
    const status = toProblem(error, '').status;
    if (REFUSALS.has(status)) throw error;
    // A state the first request itself produced (409, 412, 422 ...): the replay answers for it.
    if (status < 500) return;
    throw error;
  }
};
