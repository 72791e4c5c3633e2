import { describe, expect, it, vi } from 'vitest';
import type { Solution } from '#domain/directory/model.ts';
import {
  isSolutionVisibleTo,
  listSolutions,
  publishSolution,
  updateSolution,
} from '#domain/directory/solutions.ts';
import { BusinessRuleError, ConflictError, ForbiddenError, NotFoundError } from '#domain/kernel/errors.ts';
import { anActor } from '#test/support/builders.ts';
import { addMember } from '#test/support/members.ts';
import { world } from '../identity/world.ts';

const setup = async () => {
  const w = world();
  const host = await w.org('Host', 'host');
  const fabrikam = await w.org('Fabrikam');
  const contoso = await w.org('Contoso');
  return { w, host, fabrikam, contoso };
};

describe('publishSolution', () => {
  it('publishes a partner solution of the caller’s org by default', async () => {
    const { w, fabrikam } = await setup();
    const solution = await publishSolution(w, fabrikam, { name: 'Data Lake', coSellReady: true });
    expect(solution).toMatchObject({
      ownerOrgId: fabrikam.orgId,
      kind: 'partner',
      coSellReady: true,
      incentiveEligible: false,
      createdAt: '2026-11-01T09:00:00.000Z',
      updatedAt: '2026-11-01T09:00:00.000Z',
    });
    expect(await w.solutions.get(solution.id)).toEqual(solution);
  });

  it('lets only the host publish host and assessment solutions and set incentiveEligible', async () => {
    const { w, host, fabrikam } = await setup();
    await expect(
      publishSolution(w, fabrikam, { name: 'A', coSellReady: true, kind: 'assessment' }),
    ).rejects.toMatchObject({ code: 'host-only' });
    await expect(
      publishSolution(w, fabrikam, { name: 'H', coSellReady: true, kind: 'host' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      publishSolution(w, fabrikam, { name: 'P', coSellReady: true, incentiveEligible: false }),
    ).rejects.toBeInstanceOf(ForbiddenError);

    expect(
      await publishSolution(w, host, { name: 'Cloud', coSellReady: true, incentiveEligible: true }),
    ).toMatchObject({
      kind: 'host',
      incentiveEligible: true,
    });
    expect(
      await publishSolution(w, host, { name: 'Migration assessment', coSellReady: true, kind: 'assessment' }),
    ).toMatchObject({ kind: 'assessment' });
    await expect(
      publishSolution(w, host, { name: 'X', coSellReady: true, kind: 'partner' }),
    ).rejects.toBeInstanceOf(BusinessRuleError);
  });

  it('is only for org-admins', async () => {
    const { w, fabrikam } = await setup();
    await addMember(w, fabrikam, {
      sub: 'ra',
      email: 'ra@f.example',
      name: 'RA',
      roles: ['referrals-admin'],
      locations: [],
    });
    await expect(publishSolution(w, w.actor('ra'), { name: 'X', coSellReady: true })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('updateSolution', () => {
  it('lets the owner’s admin change name and coSellReady, with a new updatedAt', async () => {
    const { w, fabrikam } = await setup();
    const solution = await publishSolution(w, fabrikam, { name: 'Data Lake', coSellReady: false });
    w.setNow('2026-11-02T10:00:00.000Z');
    const updated = await updateSolution(w, fabrikam, {
      id: solution.id,
      name: 'Lakehouse',
      coSellReady: true,
    });
    expect(updated).toMatchObject({
      name: 'Lakehouse',
      coSellReady: true,
      updatedAt: '2026-11-02T10:00:00.000Z',
    });
    expect(await w.solutions.get(solution.id)).toEqual(updated);
  });

  it('answers 404 for another partner’s solution, visible or not', async () => {
    const { w, fabrikam, contoso } = await setup();
    const visible = await publishSolution(w, contoso, { name: 'C', coSellReady: true });
    await expect(updateSolution(w, fabrikam, { id: visible.id, name: 'Mine now' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(updateSolution(w, fabrikam, { id: 'nope', name: 'x' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('lets only the host admin change incentiveEligible, on any solution it can see', async () => {
    const { w, host, fabrikam } = await setup();
    const solution = await publishSolution(w, fabrikam, { name: 'Data Lake', coSellReady: true });
    await expect(
      updateSolution(w, fabrikam, { id: solution.id, incentiveEligible: true }),
    ).rejects.toMatchObject({
      code: 'host-only',
    });
    w.setNow('2026-11-02T10:00:00.000Z');
    expect(await updateSolution(w, host, { id: solution.id, incentiveEligible: true })).toMatchObject({
      incentiveEligible: true,
      name: 'Data Lake',
    });
    await expect(updateSolution(w, host, { id: solution.id, name: 'Renamed by host' })).rejects.toMatchObject(
      {
        code: 'not-owner',
      },
    );
  });

  it('answers a partner solution that is not co-sell ready to the host admin exactly like a missing id', async () => {
    const { w, host, fabrikam } = await setup();
    const draft = await publishSolution(w, fabrikam, { name: 'Draft', coSellReady: false });
    const failure = (id: string, change: { incentiveEligible?: boolean; name?: string }) =>
      updateSolution(w, host, { id, ...change }).catch((error: unknown) => error);
    for (const change of [{ incentiveEligible: true }, { name: 'Renamed by host' }]) {
      const hidden = await failure(draft.id, change);
      const missing = await failure('01NOSUCHSOLUTION', change);
      expect(hidden).toBeInstanceOf(NotFoundError);
      expect(hidden).toEqual(missing);
      expect((hidden as NotFoundError).message).toBe((missing as NotFoundError).message);
    }
    expect(await w.solutions.get(draft.id)).toEqual(draft);
    // Once its owner marks it co-sell ready, the host sees it and may flag it.
    await updateSolution(w, fabrikam, { id: draft.id, coSellReady: true });
    expect(await updateSolution(w, host, { id: draft.id, incentiveEligible: true })).toMatchObject({
      incentiveEligible: true,
    });
  });

  it('detects a concurrent update (409 concurrent-update)', async () => {
    const { w, fabrikam } = await setup();
    const solution = await publishSolution(w, fabrikam, { name: 'Data Lake', coSellReady: false });
    w.setNow('2026-11-02T10:00:00.000Z');
    await updateSolution(w, fabrikam, { id: solution.id, name: 'Fresh' });
    // A writer that read the solution before 'Fresh' landed.
    vi.spyOn(w.solutions, 'get').mockResolvedValueOnce(solution);
    const lost = updateSolution(w, fabrikam, { id: solution.id, name: 'Stale' });
    await expect(lost).rejects.toBeInstanceOf(ConflictError);
    await expect(lost).rejects.toMatchObject({ code: 'concurrent-update' });
    expect((await w.solutions.get(solution.id))?.name).toBe('Fresh');
  });

  it('needs at least one change', async () => {
    const { w, fabrikam } = await setup();
    const solution = await publishSolution(w, fabrikam, { name: 'Data Lake', coSellReady: false });
    await expect(updateSolution(w, fabrikam, { id: solution.id })).rejects.toMatchObject({
      kind: 'validation',
    });
  });
});

describe('listSolutions', () => {
  it('lists mine, host, assessment and other partners’ co-sell-ready solutions', async () => {
    const { w, host, fabrikam, contoso } = await setup();
    const mineReady = await publishSolution(w, fabrikam, { name: 'F ready', coSellReady: true });
    const mineDraft = await publishSolution(w, fabrikam, { name: 'F draft', coSellReady: false });
    const theirsReady = await publishSolution(w, contoso, { name: 'C ready', coSellReady: true });
    await publishSolution(w, contoso, { name: 'C draft', coSellReady: false });
    const hostSolution = await publishSolution(w, host, { name: 'H', coSellReady: true });
    const assessment = await publishSolution(w, host, { name: 'A', coSellReady: true, kind: 'assessment' });

    const ids = async (owner: 'mine' | 'host' | 'partners' | 'assessment') =>
      (await listSolutions(w, fabrikam, { owner, page: { limit: 25 } })).items.map((s) => s.id);
    expect(await ids('mine')).toEqual([mineReady.id, mineDraft.id]);
    expect(await ids('partners')).toEqual([theirsReady.id]);
    expect(await ids('host')).toEqual([hostSolution.id]);
    expect(await ids('assessment')).toEqual([assessment.id]);
  });
});

describe('isSolutionVisibleTo', () => {
  const actor = anActor({ orgId: 'me', orgKind: 'partner' });
  const solution = (overrides: Partial<Solution>): Solution => ({
    id: 's',
    ownerOrgId: 'other',
    kind: 'partner',
    name: 'S',
    coSellReady: false,
    incentiveEligible: false,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  });

  it.each([
    ['own org, not co-sell ready', { ownerOrgId: 'me' }, true],
    ['host solution', { kind: 'host' as const, ownerOrgId: 'host' }, true],
    ['assessment type', { kind: 'assessment' as const, ownerOrgId: 'host' }, true],
    ['other partner, co-sell ready', { coSellReady: true }, true],
    ['other partner, not co-sell ready', {}, false],
  ])('%s -> %s', (_, overrides, visible) => {
    expect(isSolutionVisibleTo(solution(overrides), actor)).toBe(visible);
  });
});
