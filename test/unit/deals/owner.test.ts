/** The deal's owner (domain/deals/rules/owner.ts, use-cases/owner.ts) on in-memory ports. */
import { describe, expect, it } from 'vitest';
import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { assignOwner, ownerCandidates } from '#domain/deals/use-cases/owner.ts';
import { getVisibleDeal, listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { updateDeal } from '#domain/deals/use-cases/update-deal.ts';
import { inviteMember, removeMember } from '#domain/identity/members.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import { dealWorld } from '#test/support/deal-world.ts';

const team = (...actors: Actor[]) =>
  actors.map((actor) => ({ name: actor.name, email: actor.email, phone: '+1' }));

describe('who owns a deal', () => {
  it('is its creator, and on an inbound deal the person who accepted it', async () => {
    const w = await dealWorld();
    const created = await w.create(w.partner);
    expect(created.owner).toEqual({ email: w.partner.email, name: w.partner.name });
    const { received } = await w.invited(w.partner, w.other);
    expect(received.owner).toBeUndefined();
    const accepted = await acceptInvitation(w.deps, w.other, { dealId: received.id, team: team(w.other) });
    expect(accepted.deal.owner?.email).toBe(w.other.email);
  });

  it('is nobody for a deal an API client creates', async () => {
    const w = await dealWorld();
    const client = {
      ...w.partner,
      email: '',
      client: { id: 'c1', name: 'CRM', scopes: ['deals:write' as const] },
    };
    expect((await w.create(client)).owner).toBeUndefined();
  });
});

describe('assigning the owner', () => {
  it('lets an admin make an eligible member the owner, with a history entry and an event', async () => {
    const w = await dealWorld();
    const deal = await w.create(w.partner);
    const user = await w.member(w.partner, 'fab-user', ['referral-user'], ['DE']);
    // Not on the team yet: the referral-user may not see the deal, so may not own it.
    await expect(
      assignOwner(w.deps, w.partner, { dealId: deal.id, email: user.email }),
    ).rejects.toMatchObject({
      code: 'not-eligible-owner',
    });
    await assignOwner(w.deps, w.partner, { dealId: deal.id, email: w.partner.email }); // no change
    const { deal: onTeam } = await updateDeal(w.deps, w.partner, {
      dealId: deal.id,
      team: team(w.partner, user),
    });
    const view = await assignOwner(w.deps, w.partner, {
      dealId: deal.id,
      email: user.email.toUpperCase(),
      expectedVersion: onTeam.version,
    });
    expect(view.deal.owner).toEqual({ email: user.email, name: user.name });
    expect(w.deps.deals.historyEntries.at(-1)).toMatchObject({
      action: 'owner-changed',
      changes: [{ field: 'owner', from: { email: w.partner.email }, to: { email: user.email } }],
    });
    expect(w.deps.deals.outbox.at(-1)).toMatchObject({
      type: 'deal.owner-changed',
      dealId: deal.id,
      detail: { owner: user.email },
    });
  });

  it('refuses an invited person, another org member and an unknown address (422)', async () => {
    const w = await dealWorld();
    const deal = await w.create(w.partner);
    await inviteMember(w.deps, w.partner, {
      email: 'new@fabrikam.example',
      name: 'New',
      roles: ['org-admin'],
      locations: [],
    });
    for (const email of ['new@fabrikam.example', w.other.email, 'nobody@nowhere.example']) {
      await expect(assignOwner(w.deps, w.partner, { dealId: deal.id, email })).rejects.toMatchObject({
        code: 'not-eligible-owner',
      });
    }
  });

  it('lets the owner hand the deal on, and refuses anyone else who is not an admin (403)', async () => {
    const w = await dealWorld();
    const user = await w.member(w.partner, 'fab-user', ['referral-user'], ['DE']);
    const second = await w.member(w.partner, 'fab-two', ['referral-user'], ['DE']);
    const deal = await w.create(user, { team: team(user, second) });
    await expect(assignOwner(w.deps, second, { dealId: deal.id, email: second.email })).rejects.toMatchObject(
      {
        code: 'owner-change-refused',
      },
    );
    expect((await getVisibleDeal(w.deps, second, deal.id)).actions).not.toContain('assign-owner');
    expect((await getVisibleDeal(w.deps, user, deal.id)).actions).toContain('assign-owner');
    const handed = await assignOwner(w.deps, user, { dealId: deal.id, email: second.email });
    expect(handed.deal.owner?.email).toBe(second.email);
    const unowned = await assignOwner(w.deps, second, { dealId: deal.id, email: null });
    expect(unowned.deal.owner).toBeUndefined();
  });

  it("answers 404 for another org's deal", async () => {
    const w = await dealWorld();
    const deal = await w.create(w.partner);
    await expect(
      assignOwner(w.deps, w.other, { dealId: deal.id, email: w.other.email }),
    ).rejects.toMatchObject({
      kind: 'not-found',
    });
  });

  it('lists as candidates the active members who may see the deal', async () => {
    const w = await dealWorld();
    const user = await w.member(w.partner, 'fab-user', ['referral-user'], ['DE']);
    await w.member(w.partner, 'fab-away', ['referral-user'], ['FR']);
    const deal = await w.create(w.partner, { team: team(w.partner, user) });
    const candidates = await ownerCandidates(w.deps, w.partner, deal.id);
    expect(candidates.map((candidate) => candidate.email).sort()).toEqual(
      [user.email, w.partner.email].sort(),
    );
  });
});

describe('a team edit', () => {
  it('leaves the deal unowned when it takes the owning referral-user off the team', async () => {
    const w = await dealWorld();
    const user = await w.member(w.partner, 'fab-user', ['referral-user'], ['DE']);
    const deal = await w.create(user, { team: team(user) });
    const kept = await updateDeal(w.deps, w.partner, { dealId: deal.id, team: team(user, w.partner) });
    expect(kept.deal.owner?.email).toBe(user.email);
    const edited = await updateDeal(w.deps, w.partner, { dealId: deal.id, team: team(w.partner) });
    expect(edited.deal.owner).toBeUndefined();
    expect(w.deps.deals.outbox.map((event) => event.type).slice(-2)).toEqual([
      'deal.updated',
      'deal.owner-changed',
    ]);
  });
});

describe('the owner filter', () => {
  it("lists my deals, a member's deals and deals nobody owns", async () => {
    const w = await dealWorld();
    const user = await w.member(w.partner, 'fab-user', ['referral-user'], ['DE']);
    const mine = await w.create(w.partner);
    const theirs = await w.create(user, { team: team(user) });
    const nobodys = await w.create(w.partner);
    await assignOwner(w.deps, w.partner, { dealId: nobodys.id, email: null });
    const ids = async (owner: Parameters<typeof listDeals>[2]['owner']) =>
      (
        await listDeals(w.deps, w.partner, { tab: 'outbound', ...(owner ? { owner } : {}) }, { limit: 10 })
      ).items.map((view) => view.deal.id);
    expect(await ids('me')).toEqual([mine.id]);
    expect(await ids({ email: user.email.toUpperCase() })).toEqual([theirs.id]);
    expect(await ids('none')).toEqual([nobodys.id]);
  });
});

describe('a removed member', () => {
  it('owns nothing from the moment of removal', async () => {
    const w = await dealWorld();
    const user = await w.member(w.partner, 'fab-user', ['referral-user'], ['DE']);
    const deal = await w.create(user, { team: team(user) });
    await removeMember(w.deps, w.partner, { email: user.email });
    expect((await getVisibleDeal(w.deps, w.partner, deal.id)).deal.owner).toBeUndefined();
    const none = await listDeals(w.deps, w.partner, { tab: 'outbound', owner: 'none' }, { limit: 10 });
    expect(none.items.map((view) => view.deal.id)).toEqual([deal.id]);
    expect(w.deps.deals.outbox.at(-1)).toMatchObject({ type: 'deal.owner-changed', dealId: deal.id });
  });

  it('keeps its deals when it is the last admin, whose removal is refused', async () => {
    const w = await dealWorld();
    const deal = await w.create(w.partner);
    await expect(removeMember(w.deps, w.partner, { email: w.partner.email })).rejects.toMatchObject({
      code: 'last-admin',
    });
    expect((await getVisibleDeal(w.deps, w.partner, deal.id)).deal.owner?.email).toBe(w.partner.email);
  });
});
