/**
 * A deal's history as a viewer sees it (api.md "History across orgs"). Other orgs write entries on
 * our deals (the inviter writes the invitation we received, the host writes its registration
 * decisions): such an entry names that org, never its people. Only the viewer's own org's entries
 * show who (user id and email) made the change.
 */
import type { Actor } from '../actor.ts';
import type { Deal, HistoryActor, HistoryEntry } from '../model.ts';

/** Who the scheduled job writes history as; its events carry no actor. */
export const SYSTEM_ACTOR: HistoryActor = { sub: 'system', email: 'expiry-job' };

/** How an entry records the member who made a change: with their org, so readers can tell whose it is. */
export const historyActor = (actor: Actor): HistoryActor => ({
  sub: actor.sub,
  email: actor.email,
  orgId: actor.orgId,
  orgName: actor.orgName,
});

export type HistoryActorView =
  | { kind: 'member'; orgId: string; orgName: string; sub: string; email: string }
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
  return { ...rest, actor: { kind: 'member', ...org, sub: actor.sub, email: actor.email } };
};
