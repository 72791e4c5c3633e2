/** Builders for domain records in tests: valid by default, overridden where a test cares. */

import type { Deal, Engagement, HistoryEntry } from '#domain/deals/model.ts';
import { type DealPlan, dealState } from '#domain/deals/rules/plan.ts';
import type { Actor } from '#domain/kernel/actor.ts';

let sequence = 0;
/** Ids that sort in creation order, like ULIDs. */
export const testId = (prefix = ''): string => `${prefix}01TEST${String(++sequence).padStart(10, '0')}`;

export const anActor = (overrides: Partial<Actor> = {}): Actor => ({
  sub: 'user-1',
  email: 'user-1@fabrikam.example',
  name: 'User One',
  orgId: 'org-fabrikam',
  orgName: 'Fabrikam',
  orgKind: 'partner',
  capabilities: [],
  roles: ['referrals-admin'],
  locations: [],
  ...overrides,
});

export const aDeal = (overrides: Partial<Deal> = {}): Deal => {
  const id = overrides.id ?? testId('D');
  const orgId = overrides.orgId ?? 'org-fabrikam';
  return {
    id,
    engagementId: `E${id}`,
    orgId,
    direction: 'outbound',
    status: 'accepted',
    stage: 'created',
    probability: 10,
    name: 'Contoso data platform',
    location: 'DE',
    customer: {
      id: 'cust-1',
      name: 'Contoso',
      country: 'DE',
      address: 'Berlin',
      consentToShareWithHost: false,
    },
    value: { amount: 1000, currency: 'EUR' },
    closeDate: '2030-01-31',
    team: [{ name: 'Ann Seller', email: 'ann@fabrikam.example', phone: '+49 30 1234' }],
    solutions: ['sol-1'],
    participants: {
      [orgId]: {
        orgId,
        orgName: 'Fabrikam',
        kind: 'partner',
        dealId: id,
        status: overrides.status ?? 'accepted',
      },
    },
    engagementVersion: 1,
    createdBy: 'user-1',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
};

export const engagementOf = (deal: Deal): Engagement => ({
  id: deal.engagementId,
  originOrgId: deal.orgId,
  assessment: deal.assessmentLocation !== undefined,
  participants: deal.participants,
  version: 1,
});

export const createdEntry = (deal: Deal): HistoryEntry => ({
  id: testId('H'),
  dealId: deal.id,
  at: deal.createdAt,
  actor: { sub: deal.createdBy, email: 'user-1@fabrikam.example' },
  action: 'created',
  changes: [],
});

/** The plan that stores `deal` as created: the deal, its engagement and its first history entry. */
export const createdPlan = (deal: Deal): DealPlan => ({
  created: [dealState(deal)],
  engagement: engagementOf(deal),
  history: [createdEntry(deal)],
  answers: [],
  events: [],
});
