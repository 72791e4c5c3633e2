import { describe, expect, it } from 'vitest';
import { onboardOrg } from '#domain/identity/onboard-org.ts';
import { ConflictError, ValidationError } from '#domain/kernel/errors.ts';
import { world } from './world.ts';

const admin = (sub: string) => ({ sub, email: `${sub}@example.com`, name: `Admin ${sub}` });

describe('onboardOrg', () => {
  it('creates the org with its admin as the only org-admin, using the injected clock and ids', async () => {
    const w = world();
    const org = await onboardOrg(w, { name: ' Fabrikam ', kind: 'partner', admin: admin('fab-admin') });

    expect(org).toEqual({
      id: '01ID000000000001',
      name: 'Fabrikam',
      kind: 'partner',
      capabilities: [],
      createdAt: '2026-11-01T09:00:00.000Z',
    });
    expect(await w.memberships.getActor('fab-admin')).toMatchObject({
      orgId: org.id,
      orgName: 'Fabrikam',
      orgKind: 'partner',
      roles: ['org-admin'],
      locations: [],
    });
  });

  it('keeps capabilities of a partner org (deduplicated)', async () => {
    const w = world();
    const org = await onboardOrg(w, {
      name: 'Assessors',
      kind: 'partner',
      capabilities: ['solution-assessment', 'solution-assessment'],
      admin: admin('a'),
    });
    expect(org.capabilities).toEqual(['solution-assessment']);
    expect(w.actor('a').capabilities).toEqual(['solution-assessment']);
  });

  it('allows exactly one host org', async () => {
    const w = world();
    await onboardOrg(w, { name: 'Host', kind: 'host', admin: admin('host-admin') });
    const second = onboardOrg(w, { name: 'Host 2', kind: 'host', admin: admin('other') });
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toMatchObject({ code: 'already-exists' });
    expect((await w.orgs.getHost())?.name).toBe('Host');
  });

  it('refuses an admin whose sub already belongs to an org, and creates nothing', async () => {
    const w = world();
    await onboardOrg(w, { name: 'First', kind: 'partner', admin: admin('taken') });
    await expect(
      onboardOrg(w, { name: 'Second', kind: 'partner', admin: admin('taken') }),
    ).rejects.toMatchObject({
      code: 'already-exists',
    });
    expect([...w.orgs.orgs.values()].map((org) => org.name)).toEqual(['First']);
  });

  it('reports every invalid field, and refuses capabilities on the host', async () => {
    const w = world();
    const result = onboardOrg(w, {
      name: ' ',
      kind: 'host',
      capabilities: ['solution-assessment'],
      admin: { sub: '', email: 'nope', name: 'A' },
    });
    await expect(result).rejects.toBeInstanceOf(ValidationError);
    const error = (await result.catch((e: unknown) => e)) as ValidationError;
    expect(error.errors.map((e) => e.path).sort()).toEqual([
      'admin.email',
      'admin.sub',
      'capabilities',
      'name',
    ]);
  });
});
