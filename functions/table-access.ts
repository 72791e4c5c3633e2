/**
 * What each function does to the one table, declared once: the CDK stack grants exactly this (IAM
 * actions on the table, `dynamodb:Query` on the named indexes) and nothing else, so a route that
 * starts using another operation or index fails in the cloud until its line here says so.
 *
 * Each route's access is composed from the code paths it runs (the `USES` below, one per adapter
 * method family), so a change in an adapter is one edit here. IAM knows no `TransactWriteItems`
 * action: a transaction needs the action of each item it holds (Put → PutItem, Update → UpdateItem,
 * Delete → DeleteItem, ConditionCheck → ConditionCheckItem). `Scan` is never granted.
 */
import { type IndexName, TABLE_KEYS } from './adapters/dynamo/table.ts';
import {
  AUTHORIZER_FUNCTION,
  EXPIRY_FUNCTION,
  EXPORT_FUNCTION,
  NOTIFICATION_FUNCTION,
  TOKEN_CLAIMS_FUNCTION,
  WEBHOOK_DELIVERY_FUNCTION,
  WEBHOOK_FAN_OUT_FUNCTION,
} from './environment.ts';
import { HTTP_FUNCTIONS, type HttpFunction, ROUTES, type RouteDefinition, routeKey } from './http/routes.ts';

const TABLE_PARTITION_KEY = TABLE_KEYS.partitionKey;

/** IAM actions (without the `dynamodb:` prefix) on the table itself. */
export const TABLE_OPERATIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheckItem',
] as const;
export type TableOperation = (typeof TABLE_OPERATIONS)[number];

/**
 * A write allowed only on items whose partition key starts with one of `partitions`
 * (`dynamodb:LeadingKeys`): a reads function may hold a write only so narrowed.
 */
export type ScopedWrite = {
  readonly operation: TableOperation;
  readonly partitions: readonly string[];
};

/**
 * `operations` on the table; `dynamodb:Query` on each of `indexes`; each of `scopedWrites` only on
 * the partitions it names.
 */
export type TableAccess = {
  readonly operations: readonly TableOperation[];
  readonly indexes: readonly IndexName[];
  readonly scopedWrites: readonly ScopedWrite[];
};

export const WRITE_OPERATIONS: readonly TableOperation[] = [
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheckItem',
];

const uses = (
  operations: TableOperation[],
  indexes: IndexName[] = [],
  scopedWrites: ScopedWrite[] = [],
): TableAccess => ({ operations, indexes, scopedWrites });

/**
 * The union of several uses, in a stable order (the Template tests compare it). A scoped write the
 * union also holds unscoped is dropped: the wider grant covers it.
 */
export const tableAccess = (...parts: TableAccess[]): TableAccess => {
  const operations = TABLE_OPERATIONS.filter((op) => parts.some((part) => part.operations.includes(op)));
  const scoped = new Map<TableOperation, Set<string>>();
  for (const write of parts.flatMap((part) => part.scopedWrites)) {
    if (operations.includes(write.operation)) continue;
    const partitions = scoped.get(write.operation) ?? new Set<string>();
    for (const partition of write.partitions) partitions.add(partition);
    scoped.set(write.operation, partitions);
  }
  return {
    operations,
    indexes: [...new Set(parts.flatMap((part) => part.indexes))].sort(),
    scopedWrites: TABLE_OPERATIONS.filter((op) => scoped.has(op)).map((operation) => ({
      operation,
      partitions: [...(scoped.get(operation) ?? [])].sort(),
    })),
  };
};

/** Whether an access writes anything beyond its scoped writes. */
export const writesUnscoped = (access: TableAccess): boolean =>
  access.operations.some((operation) => WRITE_OPERATIONS.includes(operation));

export const NO_TABLE_ACCESS: TableAccess = tableAccess();

/** The code paths, named after what runs them. */
const USES = {
  /** `orgs.ping` (GET /health): one eventually consistent GetItem. */
  ping: uses(['GetItem']),
  /**
   * Every member route resolves its caller first: `memberships.getActor` (GetItem), or on the routes
   * that name a deal `deals.readForCaller`, which reads the binding in the deal read's own
   * BatchGetItem (`dealRead`). Signing in writes nothing: a person joins by accepting an invitation.
   */
  caller: uses(['GetItem']),
  /** `memberships.getActor` alone: the sub binding (GetItem), what a token's claims are made from. */
  subBinding: uses(['GetItem']),
  /** The `Idempotency-Key` records of authenticated POSTs: claim (Put), read (Get), complete (Update), release (Delete). */
  idempotencyRecords: uses(['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem']),
  /**
   * `deals.get` (the deal and the favorite mark in one BatchGetItem), `solutions.getMany` and
   * `deals.sharedTeams` (the teams its org sees, one BatchGetItem) to present it. Every BatchGetItem
   * may read keys DynamoDB left unprocessed with GetItem (items.ts).
   */
  dealRead: uses(['BatchGetItem', 'GetItem']),
  /**
   * `deals.list` / `listFavorites`: tabs on gsi1 and gsi2, owners on gsi3, the delta sync on gsi5,
   * the CRM-id lookup on gsi6, then one BatchGetItem of marks or deals.
   */
  dealLists: uses(['BatchGetItem', 'GetItem'], ['gsi1', 'gsi2', 'gsi3', 'gsi5', 'gsi6']),
  /**
   * `releaseOwnedDeals` when a member is removed: the member's deals on gsi3, each read
   * (BatchGetItem) and released by a plan without a caller check (Put, Update).
   */
  ownerRelease: uses(['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'], ['gsi3']),
  /**
   * `deals.commit` of a deal plan: one transaction of Puts (history, outbox, new deals, answers, shared teams),
   * Updates (deal, engagement, copies, answer counters and signal tallies) and a ConditionCheck of the caller's sub
   * binding (the membership the decision relied on is unchanged).
   */
  dealWrite: uses(['PutItem', 'UpdateItem', 'ConditionCheckItem']),
  /** The same plans committed by the expiry job: no caller, so no sub binding to check. */
  dealWriteBySystem: uses(['PutItem', 'UpdateItem']),
  /** `orgs.get` / `orgs.getHost`: the invited orgs and the host guard. */
  orgReads: uses(['GetItem']),
  /** `customers.get` (the deal's customer). */
  customerRead: uses(['GetItem']),
  /** `deals.history`: a Query of the deal's partition. */
  tablePartitions: uses(['Query']),
  /** `deals.recentDeals`: the org's two direction tabs on gsi1, merged newest first. */
  recentDeals: uses([], ['gsi1']),
  /** `setFavorite`: a conditional Put, or a Delete. */
  favoriteMark: uses(['PutItem', 'DeleteItem']),
  /** `responsiveness.counters`: BatchGetItem of month items. */
  responsiveness: uses(['BatchGetItem', 'GetItem']),
  /** `signals.tallies`: a Query of each feature value's partition (`SIGNAL#<feature>#<value>`). */
  signalTallies: uses(['Query']),
  /** `orgs.getMany`: one BatchGetItem of org items (unprocessed keys read with GetItem). */
  orgBatchReads: uses(['BatchGetItem', 'GetItem']),
  /** `listInvitations`: `memberships.findInvitations` (Query of the address's partition), then each inviting org (GetItem). */
  invitationOffers: uses(['Query', 'GetItem']),
  /**
   * `acceptInvitation`: the sub's binding, the invitation and its org (GetItem), then
   * `memberships.bind`, one transaction: Put of the member and the sub binding, Update of the org's
   * admin count when an org-admin joins.
   */
  invitationAccept: uses(['GetItem', 'PutItem', 'UpdateItem']),
  /** `declineInvitation`: the invitation (GetItem), then `memberships.update` (a conditional Put). */
  invitationDecline: uses(['GetItem', 'PutItem']),
  /** `memberships.listByOrg` on gsi1. */
  memberList: uses([], ['gsi1']),
  /** `memberships.invite` (a conditional Put), `update` / `remove`: read the member and the org, then one transaction (Put or Delete of the member and its sub binding; Update of the admin count when it changes). */
  memberWrite: uses(['GetItem', 'PutItem', 'DeleteItem', 'UpdateItem']),
  /**
   * `inviteMember`: the address's invitation-email mark (`memberships.getInvitationEmailMark`,
   * GetItem), then `memberships.invite`, when the address is emailed one transaction of three
   * conditional Puts: the member, the next mark and the `member.invited` outbox item.
   */
  memberInvite: uses(['GetItem', 'PutItem']),
  /** The notification consumer on `member.invited`: the invitation (`memberships.get`) and its org (`orgs.get`), GetItems. */
  invitedMemberRead: uses(['GetItem']),
  /** `apiClients.listByOrg` (a Query of the org's partition) and `get` (GetItem). */
  apiClientReads: uses(['Query', 'GetItem']),
  /**
   * `apiClients.create` (the org by `orgs.get`, then one transaction: Puts of the client and its
   * binding, the org's client count Updated) and `remove` (Deletes of both, the count Updated).
   */
  apiClientWrites: uses(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']),
  /** `customers.searchByName` (gsi1) and `getByDuns` (gsi2). */
  customerSearch: uses([], ['gsi1', 'gsi2']),
  /** `customers.create`: one transaction of Puts (the customer and its D-U-N-S guard); on a taken number, the guard (GetItem) names its holder. */
  customerCreate: uses(['PutItem', 'GetItem']),
  /** `customers.update` / `retire`: read the entry, then one transaction (Put or Update of the customer, Delete and Put of D-U-N-S guards). */
  customerCorrect: uses(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']),
  /** `solutions.list`: by owner on gsi1, by kind on gsi2. */
  solutionList: uses([], ['gsi1', 'gsi2']),
  /** `solutions.create`: one transaction of a conditional Put and, for a co-sell-ready partner solution, the owner org's ready count (Update). */
  solutionCreate: uses(['PutItem', 'UpdateItem']),
  /** `solutions.get` then the conditional `solutions.update` (with the owner org's ready count: Updates in one transaction). */
  solutionUpdate: uses(['GetItem', 'UpdateItem']),
  /** `orgs.searchPartners` on gsi1. */
  partnerSearch: uses([], ['gsi1']),
  /** `deals.dueInvitations` on gsi4. */
  dueInvitations: uses([], ['gsi4']),
  /** `comments.add`: one transaction of Puts (the comment and its outbox event). */
  commentWrite: uses(['PutItem']),
  /**
   * A comment digest: the engagement's comments (Query), the recipient deal's digest mark (Get,
   * conditional Put; a throttled comment's owed digest is a conditional Update).
   */
  commentDigest: uses(['Query', 'GetItem', 'PutItem', 'UpdateItem']),
  /** `comments.dueDigests` on gsi4, each claimed with its outbox event in one transaction of Puts. */
  digestSweep: uses(['PutItem'], ['gsi4']),
  /** The notification delivery log: claim (Put), read (Get), complete (Put), release (Delete), settle (Update). */
  deliveryLog: uses(['PutItem', 'GetItem', 'DeleteItem', 'UpdateItem']),
  /** `attachments.get` (GetItem) and `listByDeal` (a Query of the deal's partition). */
  attachmentReads: uses(['GetItem', 'Query']),
  /** `attachments.get` alone: the uploads a registration names, each by its id. */
  attachmentLookup: uses(['GetItem']),
  /** `attachments.update` (what the bucket said: a Put). */
  attachmentWrites: uses(['PutItem']),
  /**
   * `attachments.create`: one transaction of the record's conditional Put and the deal's counter
   * Update (`count < limit`); a deal without a counter yet is counted first (GetItem of the counter,
   * Query of the deal's records, conditional Put of the counter).
   */
  attachmentCreate: uses(['GetItem', 'Query', 'PutItem', 'UpdateItem']),
  /** `webhooks.list` (Query of the org's webhook partition) and `get` (GetItem). */
  webhookReads: uses(['Query', 'GetItem']),
  /** `webhooks.get` alone: the endpoint a claimed delivery goes to. */
  webhookLookup: uses(['GetItem']),
  /**
   * `webhooks.create`: one transaction of the endpoint's conditional Put and the org's counter Update
   * (`count < limit`); `remove`: the Delete and the counter's decrement; an org without a counter yet
   * is counted first (GetItem of the counter, Query of its endpoints, conditional Put of the counter).
   * `update`: a conditional Put.
   */
  webhookWrites: uses(['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem']),
  /** The delivery job disables an endpoint that failed for 24 h (a conditional Put). */
  webhookDisable: uses(['PutItem']),
  /**
   * A stream consumer parks an outbox event it could not handle (functions/stream/parking.ts): one
   * UpdateItem in the `PARKED` partition. The redrive tool's reads and deletes are an operator's,
   * under the operator's own credentials (docs/observability.md).
   */
  parking: uses([], [], [{ operation: 'UpdateItem', partitions: ['PARKED'] }]),
  /**
   * `exports.create` (a conditional Put) and, when the export function cannot be invoked,
   * `exports.finish` (a Put conditioned on the job still running).
   */
  exportStart: uses(['PutItem']),
  /** `exports.get`: the job by its org and id (GetItem). */
  exportRead: uses(['GetItem']),
  /** The export function: `exports.get`, then `exports.finish` (a Put conditioned on the job still running). */
  exportRun: uses(['GetItem', 'PutItem']),
  /** `webhooks.addDelivery` (a conditional Put). */
  deliveryQueue: uses(['PutItem']),
  /** `webhooks.listDeliveries` (Query of the endpoint's partition) and `getDelivery` (GetItem). */
  deliveryReads: uses(['Query', 'GetItem']),
  /** `webhooks.dueDeliveries` on gsi4; `claim` and `record` are conditional Puts. */
  deliveryWork: uses(['PutItem'], ['gsi4']),
} satisfies Record<string, TableAccess>;

/**
 * What the shared request pipeline asks of the table in every function (the caller, idempotency
 * records): one code path, whichever function runs it.
 */
export const PIPELINE_TABLE_ACCESS: readonly TableAccess[] = [USES.caller, USES.idempotencyRecords];

/** A route that changes a deal (read it, check it, commit its plan as one transaction). */
const dealChange = tableAccess(USES.caller, USES.dealRead, USES.dealWrite);
/** The same, on a POST (which also keeps idempotency records). */
const dealChangePost = tableAccess(dealChange, USES.idempotencyRecords);

/** Each route's access, by `METHOD /path`. Every route of ROUTES has exactly one entry. */
export const ROUTE_TABLE_ACCESS: Readonly<Record<string, TableAccess>> = {
  'GET /health': tableAccess(USES.ping),
  'GET /openapi.json': NO_TABLE_ACCESS,

  'GET /v1/me': tableAccess(USES.caller),
  'GET /v1/me/invitations': tableAccess(USES.invitationOffers),
  'POST /v1/me/invitations/{orgId}/accept': tableAccess(USES.invitationAccept),
  'POST /v1/me/invitations/{orgId}/decline': tableAccess(USES.invitationDecline),
  'GET /v1/org/users': tableAccess(USES.caller, USES.memberList),
  'POST /v1/org/users': tableAccess(
    USES.caller,
    USES.idempotencyRecords,
    USES.memberWrite,
    USES.memberInvite,
  ),
  'PATCH /v1/org/users/{email}': tableAccess(USES.caller, USES.memberWrite),
  // Refuses the last admin before releasing the member's deals (the org's members on gsi1).
  'DELETE /v1/org/users/{email}': tableAccess(
    USES.caller,
    USES.memberWrite,
    USES.memberList,
    USES.ownerRelease,
  ),
  'GET /v1/org/api-clients': tableAccess(USES.caller, USES.apiClientReads),
  'POST /v1/org/api-clients': tableAccess(
    USES.caller,
    USES.idempotencyRecords,
    USES.apiClientReads,
    USES.apiClientWrites,
  ),
  'DELETE /v1/org/api-clients/{id}': tableAccess(USES.caller, USES.apiClientReads, USES.apiClientWrites),

  'GET /v1/customers': tableAccess(USES.caller, USES.customerSearch),
  'POST /v1/customers': tableAccess(USES.caller, USES.idempotencyRecords, USES.customerCreate),
  'PATCH /v1/customers/{id}': tableAccess(USES.caller, USES.customerCorrect),
  'DELETE /v1/customers/{id}': tableAccess(USES.caller, USES.customerCorrect),
  'GET /v1/solutions': tableAccess(USES.caller, USES.solutionList),
  'POST /v1/solutions': tableAccess(USES.caller, USES.idempotencyRecords, USES.solutionCreate),
  'PATCH /v1/solutions/{id}': tableAccess(USES.caller, USES.solutionUpdate),

  'GET /v1/partners': tableAccess(USES.caller, USES.partnerSearch, USES.responsiveness),
  'GET /v1/contacts/recent': tableAccess(USES.caller, USES.recentDeals),
  'GET /v1/reports/pipeline': tableAccess(USES.caller, USES.recentDeals, USES.responsiveness),

  'POST /v1/deals': tableAccess(
    USES.caller,
    USES.idempotencyRecords,
    USES.customerRead,
    USES.orgReads,
    USES.dealRead,
    USES.dealWrite,
  ),
  'GET /v1/deals': tableAccess(USES.caller, USES.dealLists),
  'POST /v1/deals/exports': tableAccess(USES.caller, USES.idempotencyRecords, USES.exportStart),
  'GET /v1/deals/exports/{id}': tableAccess(USES.caller, USES.exportRead),
  'GET /v1/deals/{id}': tableAccess(USES.caller, USES.dealRead),
  'PATCH /v1/deals/{id}': dealChange,
  'POST /v1/deals/{id}/stage': dealChangePost,
  'POST /v1/deals/{id}/close': dealChangePost,
  'POST /v1/deals/{id}/invitations': tableAccess(dealChangePost, USES.orgReads),
  'POST /v1/deals/{id}/accept': dealChangePost,
  'POST /v1/deals/{id}/decline': dealChangePost,
  'POST /v1/deals/{id}/registration': tableAccess(dealChangePost, USES.attachmentLookup),
  'POST /v1/deals/{id}/registration/review': dealChangePost,
  'PUT /v1/deals/{id}/favorite': tableAccess(USES.caller, USES.dealRead, USES.favoriteMark),
  'DELETE /v1/deals/{id}/favorite': tableAccess(USES.caller, USES.dealRead, USES.favoriteMark),
  'GET /v1/deals/{id}/history': tableAccess(USES.caller, USES.dealRead, USES.tablePartitions),
  /** The new owner's membership (GetItem) is read, and checked by the plan's transaction. */
  'PUT /v1/deals/{id}/owner': dealChange,
  'DELETE /v1/deals/{id}/owner': dealChange,
  'GET /v1/deals/{id}/owner-candidates': tableAccess(USES.caller, USES.dealRead, USES.memberList),
  /**
   * The deal, the co-sell-ready partner solutions on gsi2, the candidates' responsiveness, the
   * signal partitions of the deal's features, the suggested orgs.
   */
  'GET /v1/deals/{id}/partner-suggestions': tableAccess(
    USES.caller,
    USES.dealRead,
    USES.solutionList,
    USES.responsiveness,
    USES.signalTallies,
    USES.orgBatchReads,
  ),
  'POST /v1/deals/{id}/attachments': tableAccess(
    USES.caller,
    USES.idempotencyRecords,
    USES.dealRead,
    USES.attachmentReads,
    USES.attachmentCreate,
  ),
  // The host's deal also reads its registering partners' deals and their attachments.
  'GET /v1/deals/{id}/attachments': tableAccess(
    USES.caller,
    USES.dealRead,
    USES.attachmentReads,
    USES.attachmentWrites,
  ),
  'GET /v1/deals/{id}/attachments/{attachmentId}': tableAccess(
    USES.caller,
    USES.dealRead,
    USES.attachmentReads,
    USES.attachmentWrites,
  ),
  'POST /v1/webhooks': tableAccess(
    USES.caller,
    USES.idempotencyRecords,
    USES.webhookReads,
    USES.webhookWrites,
  ),
  'GET /v1/webhooks': tableAccess(USES.caller, USES.webhookReads),
  'GET /v1/webhooks/{id}': tableAccess(USES.caller, USES.webhookReads),
  'PATCH /v1/webhooks/{id}': tableAccess(USES.caller, USES.webhookReads, USES.webhookWrites),
  'POST /v1/webhooks/{id}/rotate-secret': tableAccess(USES.caller, USES.webhookReads, USES.webhookWrites),
  'DELETE /v1/webhooks/{id}': tableAccess(USES.caller, USES.webhookWrites),
  'POST /v1/webhooks/{id}/test': tableAccess(
    USES.caller,
    USES.idempotencyRecords,
    USES.webhookReads,
    USES.deliveryQueue,
  ),
  'GET /v1/webhooks/{id}/deliveries': tableAccess(USES.caller, USES.webhookReads, USES.deliveryReads),
  'POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': tableAccess(
    USES.caller,
    USES.idempotencyRecords,
    USES.webhookReads,
    USES.deliveryReads,
    USES.deliveryQueue,
  ),
  /** Reads the inviting deal and the invitee's, then one transaction (both deals, engagement, copies). */
  'DELETE /v1/deals/{id}/invitations/{orgId}': dealChange,
  'POST /v1/deals/{id}/comments': tableAccess(
    USES.caller,
    USES.idempotencyRecords,
    USES.dealRead,
    USES.commentWrite,
  ),
  'GET /v1/deals/{id}/comments': tableAccess(USES.caller, USES.dealRead, USES.tablePartitions),
};

/**
 * The expiry job: due invitations on gsi4, each re-read (BatchGetItem) and settled in one
 * transaction; then the owed comment digests that are due (`sendDueDigests`).
 */
export const EXPIRY_JOB_TABLE_ACCESS = tableAccess(
  USES.dueInvitations,
  USES.dealRead,
  USES.dealWriteBySystem,
  USES.digestSweep,
);

/**
 * The notification consumer: reads the deal and the org's members (its recipients), or an invited
 * member and its org, and keeps the delivery log. Its stream read is granted by the event source mapping, not here.
 */
export const NOTIFICATION_CONSUMER_TABLE_ACCESS = tableAccess(
  USES.dealRead,
  USES.memberList,
  USES.invitedMemberRead,
  USES.deliveryLog,
  USES.commentDigest,
  USES.parking,
);

/** The webhook fan-out (a stream consumer): the org's endpoints, its deal, and the new deliveries. */
export const WEBHOOK_FAN_OUT_TABLE_ACCESS = tableAccess(
  USES.webhookReads,
  USES.dealRead,
  USES.deliveryQueue,
  USES.parking,
);

/**
 * The webhook delivery job: due deliveries on gsi4, claimed and recorded by conditional Puts, each
 * endpoint read (GetItem) and, after 24 h of failures, disabled (Put); the org's admins for the email.
 */
export const WEBHOOK_DELIVERY_TABLE_ACCESS = tableAccess(
  USES.deliveryWork,
  USES.webhookLookup,
  USES.webhookDisable,
  USES.memberList,
);

/**
 * The export function: its job, the asker's membership read again (the sub binding), the list as
 * `GET /v1/deals` reads it (every tab and filter) and the reads of presenting its deals.
 */
export const EXPORT_TABLE_ACCESS = tableAccess(
  USES.exportRun,
  USES.subBinding,
  USES.dealLists,
  USES.dealRead,
);

/** The user pool's token trigger: the sub's binding, nothing else. */
export const TOKEN_CLAIMS_TABLE_ACCESS = tableAccess(USES.subBinding);

/** The background functions' access, by function id. */
const BACKGROUND_TABLE_ACCESS: Readonly<Record<string, TableAccess>> = {
  [AUTHORIZER_FUNCTION.id]: NO_TABLE_ACCESS,
  [EXPIRY_FUNCTION.id]: EXPIRY_JOB_TABLE_ACCESS,
  [NOTIFICATION_FUNCTION.id]: NOTIFICATION_CONSUMER_TABLE_ACCESS,
  [WEBHOOK_FAN_OUT_FUNCTION.id]: WEBHOOK_FAN_OUT_TABLE_ACCESS,
  [WEBHOOK_DELIVERY_FUNCTION.id]: WEBHOOK_DELIVERY_TABLE_ACCESS,
  [EXPORT_FUNCTION.id]: EXPORT_TABLE_ACCESS,
  [TOKEN_CLAIMS_FUNCTION.id]: TOKEN_CLAIMS_TABLE_ACCESS,
};

/** A route's declared access; a route without a declaration is a deploy-time error, never a default. */
export const routeTableAccess = (route: RouteDefinition): TableAccess => {
  const access = ROUTE_TABLE_ACCESS[routeKey(route)];
  if (!access) {
    throw new Error(`Route ${routeKey(route)} declares no table access in functions/table-access.ts.`);
  }
  return access;
};

/**
 * What a function of the HTTP API may do: the union of its routes' access. A reads function that
 * that would write beyond its scoped writes is a declaration error, not a grant.
 */
export const httpFunctionTableAccess = (fn: HttpFunction): TableAccess => {
  const access = tableAccess(...fn.routes.map(routeTableAccess));
  if (fn.kind === 'reads' && writesUnscoped(access)) {
    throw new Error(
      `${fn.id} serves only reads, but its routes declare writes in functions/table-access.ts.`,
    );
  }
  return access;
};

/** Declarations for routes that are not in the route table (a renamed or removed route). */
export const strayRouteAccessKeys = (): string[] => {
  const known = new Set(ROUTES.map(routeKey));
  return Object.keys(ROUTE_TABLE_ACCESS).filter((key) => !known.has(key));
};

/** What IAM authorizes of one DynamoDB call, item by item: an action, on the table or an index, for a partition. */
export type TableRequest = {
  /** The IAM action (without `dynamodb:`); `Scan` is never granted. */
  action: TableOperation | 'Scan';
  /** The index a Query or Scan reads, if any. */
  index?: string;
  /** The partition key of the item a write names (what `dynamodb:LeadingKeys` sees). */
  partition?: string;
};

type Keyed = Record<string, unknown> | undefined;

/** A key attribute as the document client or the low-level client spells it. */
const partitionOf = (key: Keyed): string | undefined => {
  const value = key?.[TABLE_PARTITION_KEY];
  if (typeof value === 'string') return value;
  const marshalled = (value as { S?: unknown } | undefined)?.S;
  return typeof marshalled === 'string' ? marshalled : undefined;
};

const withPartition = (action: TableOperation, key: Keyed): TableRequest => {
  const partition = partitionOf(key);
  return partition === undefined ? { action } : { action, partition };
};

type CallInput = {
  Key?: Keyed;
  Item?: Keyed;
  IndexName?: string;
  TransactItems?: {
    Put?: { Item?: Keyed };
    Update?: { Key?: Keyed };
    Delete?: { Key?: Keyed };
    ConditionCheck?: { Key?: Keyed };
    Get?: { Key?: Keyed };
  }[];
  RequestItems?: Record<
    string,
    { PutRequest?: { Item?: Keyed }; DeleteRequest?: { Key?: Keyed } }[] | object
  >;
};

/**
 * The requests IAM authorizes for one call of the SDK: a transaction needs the action of each item
 * it holds, a batch write each put or delete. Unknown commands are not table calls.
 */
export const tableRequestsOf = (command: string, input: object): TableRequest[] => {
  const call = input as CallInput;
  switch (command.replace(/Command$/, '')) {
    case 'GetItem':
      return [{ action: 'GetItem' }];
    case 'BatchGetItem':
      return [{ action: 'BatchGetItem' }];
    case 'Query':
      return [call.IndexName ? { action: 'Query', index: call.IndexName } : { action: 'Query' }];
    case 'Scan':
      return [call.IndexName ? { action: 'Scan', index: call.IndexName } : { action: 'Scan' }];
    case 'PutItem':
      return [withPartition('PutItem', call.Item)];
    case 'UpdateItem':
      return [withPartition('UpdateItem', call.Key)];
    case 'DeleteItem':
      return [withPartition('DeleteItem', call.Key)];
    case 'TransactGetItems':
      return (call.TransactItems ?? []).map(() => ({ action: 'GetItem' }));
    case 'TransactWriteItems':
      return (call.TransactItems ?? []).map((item) => {
        if (item.Put) return withPartition('PutItem', item.Put.Item);
        if (item.Update) return withPartition('UpdateItem', item.Update.Key);
        if (item.Delete) return withPartition('DeleteItem', item.Delete.Key);
        return withPartition('ConditionCheckItem', item.ConditionCheck?.Key);
      });
    case 'BatchWriteItem':
      return Object.values(call.RequestItems ?? {})
        .flatMap((requests) => (Array.isArray(requests) ? requests : []))
        .map((request) =>
          request.PutRequest
            ? withPartition('PutItem', request.PutRequest.Item)
            : withPartition('DeleteItem', request.DeleteRequest?.Key),
        );
    default:
      return [];
  }
};

/** One grant of a declaration, as IAM reads the statement `AppFunction.bindTable` writes for it. */
export type TableGrant = { describe: string; covers: (request: TableRequest) => boolean };

/** The grants of a declaration: each action on the table, Query on each index, each scoped write. */
export const grantsOf = (access: TableAccess): TableGrant[] => [
  ...access.operations.map((operation) => ({
    describe: `dynamodb:${operation} on the table`,
    covers: (request: TableRequest) => request.action === operation && request.index === undefined,
  })),
  ...access.indexes.map((index) => ({
    describe: `dynamodb:Query on index ${index}`,
    covers: (request: TableRequest) => request.action === 'Query' && request.index === index,
  })),
  ...access.scopedWrites.flatMap((write) =>
    write.partitions.map((partition) => ({
      describe: `dynamodb:${write.operation} on ${partition}… items`,
      covers: (request: TableRequest) =>
        request.action === write.operation &&
        request.index === undefined &&
        (request.partition?.startsWith(partition) ?? false),
    })),
  ),
];

/** Whether `access` grants `request` (never a Scan: no declaration can name one). */
export const grants = (access: TableAccess, request: TableRequest): boolean =>
  grantsOf(access).some((grant) => grant.covers(request));

/** A request as one line, its partition cut to the key's kind (`EMAIL#…`): what a grant is about. */
export const describeTableRequest = (request: TableRequest): string => {
  const kind = request.partition?.match(/^[A-Z-]+#/)?.[0] ?? request.partition;
  return [
    `dynamodb:${request.action}`,
    request.index ? `on index ${request.index}` : 'on the table',
    ...(kind ? [`for ${kind}…`] : []),
  ].join(' ');
};

/** Every deployed function's declared table access, by its id (functions/environment.ts). */
export const declaredTableAccess = (functionId: string): TableAccess | undefined => {
  const http = HTTP_FUNCTIONS.find((fn) => fn.id === functionId);
  if (http) return httpFunctionTableAccess(http);
  return BACKGROUND_TABLE_ACCESS[functionId];
};
