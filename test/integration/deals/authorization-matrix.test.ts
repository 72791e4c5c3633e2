/**
 * Every deal route × every kind of caller → the status docs/domain.md §5 calls for. Each cell gets a fresh
 * deal, so a mutation in one cell never decides another.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { listDeals } from '#domain/deals/use-cases/read-deals.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { getDeps } from '#functions/composition/deps.ts';
import { handler as listAttachments } from '#functions/http/attachments/list.ts';
import { handler as accept } from '#functions/http/deals/accept.ts';
import { handler as addComment } from '#functions/http/deals/add-comment.ts';
import { handler as assignOwner } from '#functions/http/deals/assign-owner.ts';
import { handler as changeStage } from '#functions/http/deals/change-stage.ts';
import { handler as close } from '#functions/http/deals/close.ts';
import { handler as comments } from '#functions/http/deals/comments.ts';
import { handler as decline } from '#functions/http/deals/decline.ts';
import { handler as get } from '#functions/http/deals/get.ts';
import { handler as history } from '#functions/http/deals/history.ts';
import { handler as invite } from '#functions/http/deals/invite.ts';
import { handler as markFavorite } from '#functions/http/deals/mark-favorite.ts';
import { handler as ownerCandidates } from '#functions/http/deals/owner-candidates.ts';
import { handler as unassignOwner } from '#functions/http/deals/unassign-owner.ts';
import { handler as unmarkFavorite } from '#functions/http/deals/unmark-favorite.ts';
import { handler as update } from '#functions/http/deals/update.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';

type Handler = Parameters<typeof invoke>[0];
type RouteCase = { route: string; handler: Handler; body?: () => unknown };

let w: World;
let callers: Record<string, Actor>;

const ROUTES: Record<string, RouteCase> = {
  get: { route: 'GET /v1/deals/{id}', handler: get },
  patch: { route: 'PATCH /v1/deals/{id}', handler: update, body: () => ({ notes: 'edited' }) },
  stage: { route: 'POST /v1/deals/{id}/stage', handler: changeStage, body: () => ({ stage: 'qualified' }) },
  close: { route: 'POST /v1/deals/{id}/close', handler: close, body: () => ({ outcome: 'won' }) },
  invite: {
    route: 'POST /v1/deals/{id}/invitations',
    handler: invite,
    body: () => ({ partners: [{ orgId: w.assessor.orgId, helpType: 'general' }] }),
  },
  accept: { route: 'POST /v1/deals/{id}/accept', handler: accept, body: () => ({}) },
  decline: { route: 'POST /v1/deals/{id}/decline', handler: decline, body: () => ({ reason: 'not-a-fit' }) },
  favorite: { route: 'PUT /v1/deals/{id}/favorite', handler: markFavorite },
  unfavorite: { route: 'DELETE /v1/deals/{id}/favorite', handler: unmarkFavorite },
  history: { route: 'GET /v1/deals/{id}/history', handler: history },
  attachments: { route: 'GET /v1/deals/{id}/attachments', handler: listAttachments },
  comment: {
    route: 'POST /v1/deals/{id}/comments',
    handler: addComment,
    body: () => ({ text: 'hello', visibility: 'engagement' }),
  },
  comments: { route: 'GET /v1/deals/{id}/comments', handler: comments },
  setOwner: {
    route: 'PUT /v1/deals/{id}/owner',
    handler: assignOwner,
    body: () => ({ email: w.partner.email }),
  },
  unsetOwner: { route: 'DELETE /v1/deals/{id}/owner', handler: unassignOwner },
  ownerCandidates: { route: 'GET /v1/deals/{id}/owner-candidates', handler: ownerCandidates },
};

/** What a caller who may see an accepted outbound deal gets from each route. */
const VISIBLE_ACCEPTED = {
  get: 200,
  patch: 200,
  stage: 200,
  close: 200,
  invite: 200,
  accept: 409,
  decline: 409,
  favorite: 204,
  unfavorite: 204,
  history: 200,
  attachments: 200,
  comment: 201,
  comments: 200,
  setOwner: 200,
  unsetOwner: 200,
  ownerCandidates: 200,
};
/** A referral-user who may see the deal but neither owns it nor is an admin: no say over its owner. */
const VISIBLE_NOT_OWNER = { ...VISIBLE_ACCEPTED, setOwner: 403, unsetOwner: 403, ownerCandidates: 403 };
/** Another org's deal, or one outside a referral-user's scope: indistinguishable from a missing one. */
const HIDDEN = Object.fromEntries(Object.keys(ROUTES).map((name) => [name, 404]));
/** The host on its own, still received copy: it may answer it, nothing else changes before that. */
const HOST_RECEIVED = {
  get: 200,
  patch: 409,
  stage: 409,
  close: 409,
  invite: 409,
  accept: 200,
  decline: 200,
  favorite: 204,
  unfavorite: 204,
  history: 200,
  attachments: 200,
  // Not taking part yet: no engagement comments, written or read (its own org's list is empty).
  comment: 409,
  comments: 200,
  // Its admin sets the owner of its own copy; another org's member may not own it.
  setOwner: 422,
  unsetOwner: 200,
  ownerCandidates: 200,
};

beforeAll(async () => {
  w = await apiWorld();
  callers = {
    owner: w.partner,
    'referral-user on the team': await w.member(w.partner, 'ru-team', ['referral-user'], ['DE']),
    'referral-user off the team': await w.member(w.partner, 'ru-off', ['referral-user'], ['DE']),
    'referral-user of another location': await w.member(w.partner, 'ru-fr', ['referral-user'], ['FR']),
    'other partner org': w.other,
    'host before invitation': w.host,
    'host after invitation, on the inviter deal': w.host,
  };
});

/** A fresh co-sell-ready deal of the owner with the on-team user on its team; the host invited on request. */
const freshDeal = async (inviteHost: boolean) => {
  const deps = getDeps();
  const teamMember = callers['referral-user on the team'];
  const deal = await w.create(w.partner, {
    customer: {
      id: w.customer.id,
      contact: { name: 'Cy', phone: '+49 1', email: 'cy@tailspin.example' },
      consentToShareWithHost: true,
    },
    team: [
      { name: 'Ann', email: 'ann@fabrikam.example', phone: '+49 2' },
      { name: 'Team RU', email: teamMember?.email ?? '', phone: '+49 3' },
    ],
  });
  if (!inviteHost) return { ownerDealId: deal.id };
  await inviteToDeal(deps, w.partner, { dealId: deal.id, host: { helpType: 'general' } });
  const hostDeal = (
    await listDeals(deps, w.host, { tab: 'inbound', statuses: ['received'] }, { limit: 100 })
  ).items.find((view) => view.deal.engagementId === deal.engagementId);
  return { ownerDealId: deal.id, hostDealId: hostDeal?.deal.id ?? '' };
};

const call = async (name: string, actor: Actor, dealId: string) => {
  const { route, handler, body } = ROUTES[name] as RouteCase;
  const response = await invoke(handler, { route, params: { id: dealId }, sub: actor.sub, body: body?.() });
  return response.status;
};

const matrix: [caller: string, expected: Record<string, number>][] = [
  ['owner', VISIBLE_ACCEPTED],
  ['referral-user on the team', VISIBLE_NOT_OWNER],
  ['referral-user off the team', HIDDEN],
  ['referral-user of another location', HIDDEN],
  ['other partner org', HIDDEN],
  ['host before invitation', HIDDEN],
  ['host after invitation, on the inviter deal', HIDDEN],
];

describe('authorization matrix of the deal routes', () => {
  for (const [caller, expected] of matrix) {
    it(`${caller}`, async () => {
      const actual: Record<string, number> = {};
      for (const name of Object.keys(ROUTES)) {
        const { ownerDealId } = await freshDeal(caller.startsWith('host after'));
        actual[name] = await call(name, callers[caller] as Actor, ownerDealId);
      }
      expect(actual).toEqual(expected);
    });
  }

  it('host on its own received copy', async () => {
    const actual: Record<string, number> = {};
    for (const name of Object.keys(ROUTES)) {
      const { hostDealId } = await freshDeal(true);
      actual[name] = await call(name, w.host, hostDealId as string);
    }
    expect(actual).toEqual(HOST_RECEIVED);
  });
});
