import { describe, expect, it } from 'vitest';
import type { Deal, Invitation, Participant } from '#domain/deals/model.ts';
import { changePlan, dealState, versioned } from '#domain/deals/rules/plan.ts';
import { aDeal, anActor } from '#test/support/builders.ts';

let sequence = 0;
const ids = { next: () => `ID${++sequence}` };

const invitation: Invitation = {
  kind: 'partner',
  helpType: 'technical',
  fromOrgId: 'org-fabrikam',
  fromOrgName: 'Fabrikam',
  fromDealId: 'D-inviter',
  invitedBy: { sub: 'user-1', email: 'ann@fabrikam.example' },
  invitedAt: '2026-03-01T00:00:00.000Z',
  expiresAt: '2026-03-15T00:00:00.000Z',
  inviterTeam: [],
};

/** Adatum's received deal of Fabrikam's engagement (engagement version 2: the invitation moved it). */
const received = (): Deal => {
  const deal = aDeal({
    id: 'D-invitee',
    orgId: 'org-adatum',
    direction: 'inbound',
    status: 'received',
    invitation,
    engagementVersion: 2,
  });
  return {
    ...deal,
    participants: {
      'org-fabrikam': {
        orgId: 'org-fabrikam',
        orgName: 'Fabrikam',
        kind: 'partner',
        dealId: 'D-inviter',
        status: 'accepted',
      },
      'org-adatum': {
        orgId: 'org-adatum',
        orgName: 'Adatum',
        kind: 'partner',
        dealId: 'D-invitee',
        status: 'received',
      },
    },
  };
};

const adatum = anActor({ sub: 'ada', orgId: 'org-adatum', orgName: 'Adatum' });

describe('a deal change as a plan', () => {
  it('an accept moves the invitee’s own entry on the engagement and every copy, and counts one answer', () => {
    const previous = received();
    const at = '2026-03-02T06:00:00.000Z';
    const next = versioned(
      previous,
      { ...previous, status: 'accepted', invitation: { ...invitation, answeredAt: at } },
      at,
    );
    const plan = changePlan(ids, { previous, next, action: 'accepted', actor: adatum, events: [] });

    expect(plan.changed.previous).toEqual({ deal: previous, nextActionAt: '2026-03-12T00:00:00.000Z' });
    expect(plan.changed.next.nextActionAt).toBeUndefined();
    expect(plan.changed.next.deal).toMatchObject({ version: 2, engagementVersion: 3 });
    expect(plan.engagementMove).toEqual({
      engagementId: previous.engagementId,
      readVersion: 2,
      version: 3,
      entries: { 'org-adatum': { ...previous.participants['org-adatum'], status: 'accepted' } },
      copies: [{ orgId: 'org-fabrikam', dealId: 'D-inviter' }],
    });
    // Taking part, it shares its team with the engagement: one record of its own, on no copy.
    expect(plan.teams).toEqual([
      { engagementId: previous.engagementId, orgId: 'org-adatum', team: previous.team },
    ]);
    expect(plan.answers).toEqual([
      {
        answer: {
          orgId: 'org-adatum',
          dealId: 'D-invitee',
          invitedAt: invitation.invitedAt,
          answeredAt: at,
          outcome: 'accepted',
        },
        // Answered after 30 hours: the "within 48 h" bucket.
        count: { orgId: 'org-adatum', day: '2026-03-02', answered: true, bucket: 4 },
        // The answered deal's features, for the partner suggestions; no catalog kinds were given.
        signal: expect.objectContaining({
          orgId: 'org-adatum',
          outcome: 'accepted',
          answeredAt: at,
          features: expect.arrayContaining([{ name: 'location', value: previous.location }]),
        }),
      },
    ]);
    expect(plan.history).toHaveLength(1);
  });

  it('a later edit of the accepted deal neither counts another answer nor moves the engagement', () => {
    const accepted: Deal = {
      ...received(),
      status: 'accepted',
      invitation: { ...invitation, answeredAt: '2026-03-02T06:00:00.000Z' },
    };
    const previous = { ...accepted, participants: versioned(accepted, accepted, 'x').participants };
    const next = versioned(previous, { ...previous, name: 'Renamed' }, '2026-03-03T00:00:00.000Z');
    const plan = changePlan(ids, { previous, next, action: 'updated', actor: adatum, events: [] });

    expect(plan.answers).toEqual([]);
    expect(plan.engagementMove).toBeUndefined();
    expect(plan.teams).toBeUndefined();
    expect(plan.changed.next.deal.engagementVersion).toBe(previous.engagementVersion);
  });

  it('a team edit writes the shared team alone: the engagement and the copies stay as they are', () => {
    const accepted: Deal = { ...received(), status: 'accepted' };
    const previous = { ...accepted, participants: versioned(accepted, accepted, 'x').participants };
    const team = [...previous.team, { name: 'Ben', email: 'ben@adatum.example', phone: '+49 2' }];
    const next = versioned(previous, { ...previous, team }, '2026-03-03T00:00:00.000Z');
    const plan = changePlan(ids, { previous, next, action: 'updated', actor: adatum, events: [] });

    expect(plan.engagementMove).toBeUndefined();
    expect(plan.teams).toEqual([{ engagementId: previous.engagementId, orgId: 'org-adatum', team }]);
  });

  it('an entry the previous release wrote with its team moves without it, and the team is written apart', () => {
    const accepted: Deal = { ...received(), status: 'accepted' };
    const entry = accepted.participants['org-adatum'] as Participant;
    const previous: Deal = {
      ...accepted,
      participants: { ...accepted.participants, 'org-adatum': { ...entry, team: accepted.team } },
    };
    const next = versioned(previous, { ...previous, name: 'Renamed' }, '2026-03-03T00:00:00.000Z');
    const plan = changePlan(ids, { previous, next, action: 'updated', actor: adatum, events: [] });

    expect(plan.engagementMove?.entries['org-adatum']).not.toHaveProperty('team');
    expect(plan.teams).toEqual([
      { engagementId: previous.engagementId, orgId: 'org-adatum', team: previous.team },
    ]);
  });

  it('the reminder moves the invitation’s next action from the reminder time to the expiry', () => {
    const previous = received();
    expect(dealState(previous).nextActionAt).toBe('2026-03-12T00:00:00.000Z');
    const reminded = versioned(
      previous,
      { ...previous, invitation: { ...invitation, remindedAt: '2026-03-12T00:05:00.000Z' } },
      '2026-03-12T00:05:00.000Z',
    );
    const plan = changePlan(ids, {
      previous,
      next: reminded,
      action: 'reminded',
      actor: undefined,
      events: [],
    });

    expect(plan.changed.next.nextActionAt).toBe(invitation.expiresAt);
    expect(plan.answers).toEqual([]);
    expect(plan.history[0]?.actor).toEqual({ sub: 'system', email: 'expiry-job' });
  });
});
