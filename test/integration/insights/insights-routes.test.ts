import { beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation, declineInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import type { Deps } from '#domain/deps.ts';
import { getDeps } from '#functions/composition/deps.ts';
import { handler as pipeline } from '#functions/http/insights/pipeline-report.ts';
import { handler as contacts } from '#functions/http/insights/recent-contacts.ts';
import { handler as partners } from '#functions/http/insights/search-partners.ts';
import { PartnerPage, PipelineReport } from '#functions/http/schemas/insights.ts';
import { apiWorld } from '#test/support/api-world.ts';
import type { World } from '#test/support/deal-world.ts';
import { invoke } from '#test/support/http.ts';

let w: World;
let deps: Deps;
beforeAll(async () => {
  w = await apiWorld();
  deps = getDeps();
});

const invitations = async (count: number): Promise<string[]> => {
  const received: string[] = [];
  for (let i = 0; i < count; i++) received.push((await w.invited(w.partner, w.other)).received.id);
  return received;
};

describe('insight routes on DynamoDB Local', () => {
  it('counts every answer of an org, even when they land at once, and ranks partners by it', async () => {
    const received = await invitations(6);
    w.setNow('2026-11-01T12:00:00.000Z');
    await Promise.all(
      received.map((id, i) =>
        i % 3 === 0
          ? declineInvitation(deps, w.other, { dealId: id, reason: 'no-capacity' })
          : acceptInvitation(deps, w.other, { dealId: id }),
      ),
    );
    const response = await invoke(partners, {
      route: 'GET /v1/partners',
      sub: w.partner.sub,
      query: { q: 'ada' },
    });
    expect(response.status).toBe(200);
    const page = PartnerPage.parse(response.body);
    expect(page.items).toEqual([
      expect.objectContaining({
        name: 'Adatum',
        responsiveness: { medianResponseHours: 4, answerRate: 1, answered: 6, invitations: 6 },
      }),
    ]);
    const mine = await invoke(partners, { route: 'GET /v1/partners', sub: w.other.sub, query: { q: 'ada' } });
    expect(mine.body.items).toEqual([]);
    const missingQuery = await invoke(partners, { route: 'GET /v1/partners', sub: w.other.sub, query: {} });
    expect(missingQuery.status).toBe(400);
  });

  it('reports the pipeline of the caller and lists recent contacts', async () => {
    const deal = await w.create(w.assessor, {
      team: [{ name: 'Nora', email: 'nora@northwind.example', phone: '+1 9' }],
      value: { amount: 10, currency: 'USD' },
    });
    await closeDeal(deps, w.assessor, { dealId: deal.id, outcome: 'won' });
    const report = await invoke(pipeline, { route: 'GET /v1/reports/pipeline', sub: w.assessor.sub });
    expect(report.status).toBe(200);
    expect(PipelineReport.parse(report.body)).toMatchObject({
      byStatus: { won: { count: 1, value: { USD: 10 } }, accepted: { count: 0, value: {} } },
      byStage: { won: { count: 1 } },
      winRate: 1,
      dealsCounted: 1,
      truncated: false,
    });
    const list = await invoke(contacts, { route: 'GET /v1/contacts/recent', sub: w.assessor.sub });
    expect(list.body).toEqual({ items: [{ name: 'Nora', email: 'nora@northwind.example', phone: '+1 9' }] });
  });
});
