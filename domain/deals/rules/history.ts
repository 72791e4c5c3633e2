/**
 * A deal's history as a viewer sees it (docs/domain.md §3). Other orgs write entries on
 * our deals (the inviter writes the invitation we received, the host writes its registration
 * decisions): such an entry names that org, never its people. Only the viewer's own org's entries
 * show who (user id and email) made the change.
 *
 * What an entry records: old and new values of plain fields, and of collections only what was added
 * and removed, so an entry stays small however often a deal changes (DynamoDB's 400 KB item limit).
 */
import type { Actor } from '../../kernel/actor.ts';
import { sameJson } from '../../kernel/same-json.ts';
import {
  DEAL_HISTORY_COLLECTIONS,
  DEAL_HISTORY_VALUES,
  type Deal,
  type HistoryActor,
  type HistoryChange,
  type HistoryEntry,
  type Registration,
} from '../model.ts';

/** The registration's own values; its review messages are a collection that only grows. */
const REGISTRATION_FIELDS = [
  'status',
  'submittedAt',
  'contractSigned',
  'contractValue',
  'contractDate',
  'purchaseOrder',
  'notes',
  'decidedAt',
] as const satisfies readonly (keyof Registration)[];

const valueChange = (field: string, from: unknown, to: unknown): HistoryChange[] =>
  sameJson(from, to)
    ? []
    : [{ field, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) }];

/** The values of `values` that `among` does not hold. */
const missingFrom = <T>(among: readonly T[], values: readonly T[]): T[] =>
  values.filter((value) => !among.some((other) => sameJson(other, value)));

/** What was added and removed; a change of order alone is recorded as the field without values. */
const collectionChange = (field: string, before: readonly unknown[], after: readonly unknown[]) => {
  if (sameJson(before, after)) return [];
  const added = missingFrom(before, after);
  const removed = missingFrom(after, before);
  return [
    {
      field,
      ...(added.length > 0 ? { added } : {}),
      ...(removed.length > 0 ? { removed } : {}),
    },
  ];
};

const registrationChanges = (before?: Registration, after?: Registration): HistoryChange[] => [
  ...REGISTRATION_FIELDS.flatMap((field) =>
    valueChange(`registration.${field}`, before?.[field], after?.[field]),
  ),
  ...collectionChange('registration.attachments', before?.attachments ?? [], after?.attachments ?? []),
  // Messages dropped by the deal's retention stay in the entries that added them.
  ...(() => {
    const added = missingFrom(before?.messages ?? [], after?.messages ?? []);
    return added.length > 0 ? [{ field: 'registration.messages', added }] : [];
  })(),
];

const participantNames = (deal: Deal): string[] =>
  Object.values(deal.participants)
    .filter((participant) => participant.orgId !== deal.orgId)
    .map((participant) => participant.orgName)
    .sort();

export const changedFields = (previous: Deal, next: Deal): HistoryChange[] => [
  ...DEAL_HISTORY_VALUES.flatMap((field) => valueChange(field, previous[field], next[field])),
  ...DEAL_HISTORY_COLLECTIONS.flatMap((field) => collectionChange(field, previous[field], next[field])),
  ...registrationChanges(previous.registration, next.registration),
  // The customer itself is fixed; its contact and consent change with an edit.
  ...valueChange('customer.contact', previous.customer.contact, next.customer.contact),
  ...valueChange(
    'customer.consentToShareWithHost',
    previous.customer.consentToShareWithHost,
    next.customer.consentToShareWithHost,
  ),
  // Other orgs' deals are theirs: the history names who joined, never what their deals hold.
  ...valueChange('participants', participantNames(previous), participantNames(next)),
];

/** Who the scheduled job writes history as; its events carry no actor. */
export const SYSTEM_ACTOR: HistoryActor = { sub: 'system', email: 'expiry-job' };

/** How an entry records the member who made a change: with their org, so readers can tell whose it is. */
export const historyActor = (actor: Actor): HistoryActor => ({
  sub: actor.sub,
  email: actor.email,
  orgId: actor.orgId,
  orgName: actor.orgName,
  ...(actor.client ? { client: actor.client.name } : {}),
});

export type HistoryActorView =
  | { kind: 'member'; orgId: string; orgName: string; sub: string; email: string }
  | { kind: 'client'; orgId: string; orgName: string; client: string }
  | { kind: 'org'; orgId: string; orgName: string }
  | { kind: 'system' };

export type HistoryEntryView = Omit<HistoryEntry, 'actor'> & { actor: HistoryActorView };

type OrgRef = { orgId: string; orgName: string };

const ownOrg = (deal: Deal): OrgRef => ({
  orgId: deal.orgId,
  orgName: deal.participants[deal.orgId]?.orgName ?? '',
});

/**
 * The org of an entry written before entries recorded it, from what only that org could have done:
 * the invitation an inbound deal starts with is the inviter's, registration decisions are the host's,
 * everything else is the deal's own org's.
 */
const writerOfUnrecorded = (entry: HistoryEntry, deal: Deal): OrgRef => {
  if (entry.action === 'received' && deal.invitation) {
    return { orgId: deal.invitation.fromOrgId, orgName: deal.invitation.fromOrgName };
  }
  if (entry.action.startsWith('registration-') && entry.action !== 'registration-submitted') {
    const host = Object.values(deal.participants).find((participant) => participant.kind === 'host');
    if (host) return { orgId: host.orgId, orgName: host.orgName };
  }
  return ownOrg(deal);
};

/** One entry of `deal`'s history as `viewer` (a member of the deal's org) may see it. */
export const presentHistoryEntry = (entry: HistoryEntry, deal: Deal, viewer: Actor): HistoryEntryView => {
  const { actor, ...rest } = entry;
  if (actor.sub === SYSTEM_ACTOR.sub && actor.orgId === undefined)
    return { ...rest, actor: { kind: 'system' } };
  const org =
    actor.orgId !== undefined
      ? { orgId: actor.orgId, orgName: actor.orgName ?? '' }
      : writerOfUnrecorded(entry, deal);
  if (org.orgId !== viewer.orgId) return { ...rest, actor: { kind: 'org', ...org } };
  if (actor.client !== undefined) return { ...rest, actor: { kind: 'client', ...org, client: actor.client } };
  return { ...rest, actor: { kind: 'member', ...org, sub: actor.sub, email: actor.email } };
};
