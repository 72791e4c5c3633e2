import { describe, expect, it } from 'vitest';
import {
  correctCustomer,
  createCustomer,
  findCustomers,
  retireCustomer,
} from '#domain/directory/customers.ts';
import type { Actor, Role } from '#domain/kernel/actor.ts';
import { COUNTRY_CODES } from '#domain/kernel/countries.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#domain/kernel/errors.ts';
import { dealWorld } from '#test/support/deal-world.ts';
import { world } from '../identity/world.ts';

const contoso = { name: 'Contoso GmbH', country: 'DE', address: 'Hauptstr. 1, Berlin' };

/** Another member of the admin's org with these roles (the use cases read only the actor). */
const memberOf = (admin: Actor, sub: string, roles: Role[]): Actor => ({
  ...admin,
  sub,
  email: `${sub}@example.com`,
  roles,
  locations: ['DE'],
});

describe('createCustomer', () => {
  it("lets an org's admins add a customer, recording the org", async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const customer = await createCustomer(w, memberOf(admin, 'rita', ['referrals-admin']), {
      ...contoso,
      duns: '123456789',
    });
    expect(customer).toEqual({
      id: '01ID000000000002',
      ...contoso,
      duns: '123456789',
      createdByOrgId: admin.orgId,
      createdAt: '2026-11-01T09:00:00.000Z',
      updatedAt: '2026-11-01T09:00:00.000Z',
      version: 1,
    });
    expect(await w.customers.get(customer.id)).toEqual(customer);
    expect((await createCustomer(w, admin, { ...contoso, name: 'By the org-admin' })).createdByOrgId).toBe(
      admin.orgId,
    );
  });

  it('refuses a referral-user (403 role-required): members cannot squat directory entries', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const seller = memberOf(admin, 'sam', ['referral-user']);
    await expect(createCustomer(w, seller, { ...contoso, duns: '123456789' })).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'role-required',
    });
    expect(w.customers.customers.size).toBe(0);
  });

  it('refuses a second customer with the same D-U-N-S number (409 already-exists)', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await createCustomer(w, admin, { ...contoso, duns: '123456789' });
    const first = (await w.customers.getByDuns('123456789'))?.id;
    const again = createCustomer(w, admin, { ...contoso, name: 'Other', duns: '123456789' });
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.toMatchObject({
      code: 'already-exists',
      details: { existingCustomerId: first },
    });
    await createCustomer(w, admin, { ...contoso, name: 'No duns 1' });
    await createCustomer(w, admin, { ...contoso, name: 'No duns 2' });
    expect(w.customers.customers.size).toBe(3);
  });

  it('validates country, D-U-N-S and text fields', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const error = (await createCustomer(w, admin, {
      name: '',
      country: 'XX',
      address: ' ',
      duns: '12345678',
    }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors.map((e) => e.path).sort()).toEqual(['address', 'country', 'duns', 'name']);
  });

  it('knows every officially assigned alpha-2 code', () => {
    expect(COUNTRY_CODES.size).toBe(249);
    expect(COUNTRY_CODES.has('DE')).toBe(true);
    expect(COUNTRY_CODES.has('UK')).toBe(false);
  });
});

describe('findCustomers', () => {
  it('suggests by country and case-insensitive name prefix, in name order and pages', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    for (const name of ['Contoso Pharma', 'contoso Bank', 'Continental', 'Fourth Coffee']) {
      await createCustomer(w, admin, { ...contoso, name });
    }
    await createCustomer(w, admin, { ...contoso, name: 'Contoso France', country: 'FR' });

    const first = await findCustomers(w, admin, {
      search: { country: 'DE', prefix: 'CONT' },
      page: { limit: 2 },
    });
    expect(first.items.map((c) => c.name)).toEqual(['Continental', 'contoso Bank']);
    const second = await findCustomers(w, admin, {
      search: { country: 'DE', prefix: 'CONT' },
      page: { limit: 2, ...(first.next ? { after: first.next } : {}) },
    });
    expect(second.items.map((c) => c.name)).toEqual(['Contoso Pharma']);
    expect(second.next).toBeUndefined();
  });

  it('finds exactly one customer by D-U-N-S number, or none', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    const customer = await createCustomer(w, admin, { ...contoso, duns: '987654321' });
    expect(await findCustomers(w, admin, { search: { duns: '987654321' }, page: { limit: 25 } })).toEqual({
      items: [customer],
    });
    expect(await findCustomers(w, admin, { search: { duns: '111111111' }, page: { limit: 25 } })).toEqual({
      items: [],
    });
  });

  it('refuses an unknown country or a malformed D-U-N-S number', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await expect(
      findCustomers(w, admin, { search: { country: 'ZZ', prefix: 'a' }, page: { limit: 1 } }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      findCustomers(w, admin, { search: { duns: '12' }, page: { limit: 1 } }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('correctCustomer', () => {
  const setup = async () => {
    const w = world();
    const host = await w.org('Host', 'host');
    const fabrikam = await w.org('Fabrikam');
    const adatum = await w.org('Adatum');
    const squatted = await createCustomer(w, fabrikam, { ...contoso, name: 'Wrong', duns: '111111111' });
    return { w, host, fabrikam, adatum, squatted };
  };

  it("lets the creating org's admins and the host's admins correct an entry, D-U-N-S included", async () => {
    const { w, host, fabrikam, squatted } = await setup();
    w.setNow('2026-11-02T10:00:00.000Z');
    const byCreator = await correctCustomer(w, memberOf(fabrikam, 'rita', ['referrals-admin']), {
      id: squatted.id,
      name: ' Contoso GmbH ',
    });
    expect(byCreator).toEqual({
      ...squatted,
      name: 'Contoso GmbH',
      updatedAt: '2026-11-02T10:00:00.000Z',
      version: 2,
    });
    const byHost = await correctCustomer(w, memberOf(host, 'sam', ['referrals-admin']), {
      id: squatted.id,
      duns: '222222222',
      country: 'AT',
    });
    expect(byHost).toMatchObject({
      duns: '222222222',
      country: 'AT',
      createdByOrgId: fabrikam.orgId,
      version: 3,
    });
    expect(await w.customers.getByDuns('111111111')).toBeUndefined();
    const removed = await correctCustomer(w, host, { id: squatted.id, duns: null });
    expect(removed).not.toHaveProperty('duns');
    expect(await w.customers.get(squatted.id)).toEqual(removed);
  });

  it("refuses other orgs' admins (403 not-creator) and non-admins (403 role-required)", async () => {
    const { w, fabrikam, adatum, squatted } = await setup();
    await expect(correctCustomer(w, adatum, { id: squatted.id, name: 'Mine' })).rejects.toMatchObject({
      code: 'not-creator',
    });
    await expect(
      correctCustomer(w, memberOf(fabrikam, 'sam', ['referral-user']), { id: squatted.id, name: 'x' }),
    ).rejects.toMatchObject({ code: 'role-required' });
    expect(await w.customers.get(squatted.id)).toEqual(squatted);
  });

  it('lets only the host correct an entry whose creating org is not recorded', async () => {
    const { w, host, fabrikam } = await setup();
    const legacy = { ...contoso, id: 'legacy-1', createdAt: '2026-01-01T00:00:00.000Z' };
    await w.customers.create({ ...legacy, updatedAt: legacy.createdAt, version: 1 });
    await expect(correctCustomer(w, fabrikam, { id: 'legacy-1', name: 'x' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await correctCustomer(w, host, { id: 'legacy-1', name: 'Fixed' })).name).toBe('Fixed');
  });

  it('answers 409 naming the holder when the new D-U-N-S number is taken, and 404 for unknown ids', async () => {
    const { w, fabrikam, squatted } = await setup();
    const other = await createCustomer(w, fabrikam, { ...contoso, name: 'Other', duns: '333333333' });
    await expect(correctCustomer(w, fabrikam, { id: squatted.id, duns: '333333333' })).rejects.toMatchObject({
      code: 'already-exists',
      details: { existingCustomerId: other.id },
    });
    expect((await w.customers.get(squatted.id))?.duns).toBe('111111111');
    await expect(correctCustomer(w, fabrikam, { id: 'nope', name: 'x' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('validates the fields and needs at least one', async () => {
    const { w, fabrikam, squatted } = await setup();
    const error = (await correctCustomer(w, fabrikam, {
      id: squatted.id,
      name: ' ',
      country: 'XX',
      duns: '12',
    }).catch((e: unknown) => e)) as ValidationError;
    expect(error.errors.map((e) => e.path).sort()).toEqual(['country', 'duns', 'name']);
    await expect(correctCustomer(w, fabrikam, { id: squatted.id })).rejects.toBeInstanceOf(ValidationError);
  });

  it('re-reads and re-applies when a concurrent correction won', async () => {
    const { w, fabrikam, host, squatted } = await setup();
    const update = w.customers.update.bind(w.customers);
    let raced = false;
    w.customers.update = async (next, previous) => {
      if (!raced) {
        raced = true;
        await correctCustomer(w, host, { id: squatted.id, address: 'Corrected by the host' });
      }
      return update(next, previous);
    };
    const corrected = await correctCustomer(w, fabrikam, { id: squatted.id, name: 'Right' });
    expect(corrected).toMatchObject({ name: 'Right', address: 'Corrected by the host', version: 3 });
  });
});

describe('retireCustomer', () => {
  it("lets the host's admins retire an entry: gone from every search, its D-U-N-S number free", async () => {
    const w = world();
    const host = await w.org('Host', 'host');
    const fabrikam = await w.org('Fabrikam');
    const wrong = await createCustomer(w, fabrikam, { ...contoso, name: 'Wrong', duns: '444444444' });
    w.setNow('2026-11-03T08:00:00.000Z');
    await retireCustomer(w, memberOf(host, 'sam', ['referrals-admin']), { id: wrong.id });
    expect(await w.customers.get(wrong.id)).toBeUndefined();
    expect(await findCustomers(w, fabrikam, { search: { duns: '444444444' }, page: { limit: 1 } })).toEqual({
      items: [],
    });
    expect(w.customers.retired.get(wrong.id)?.retirement).toEqual({
      at: '2026-11-03T08:00:00.000Z',
      byOrgId: host.orgId,
    });
    const right = await createCustomer(w, fabrikam, { ...contoso, duns: '444444444' });
    expect((await w.customers.getByDuns('444444444'))?.id).toBe(right.id);
    await expect(retireCustomer(w, host, { id: wrong.id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses everyone but the host's admins (403), the creating org included", async () => {
    const w = world();
    const host = await w.org('Host', 'host');
    const fabrikam = await w.org('Fabrikam');
    const entry = await createCustomer(w, fabrikam, contoso);
    await expect(retireCustomer(w, fabrikam, { id: entry.id })).rejects.toMatchObject({ code: 'host-only' });
    await expect(
      retireCustomer(w, memberOf(host, 'hugo', ['referral-user']), { id: entry.id }),
    ).rejects.toMatchObject({ code: 'role-required' });
    expect(await w.customers.get(entry.id)).toEqual(entry);
  });
});

describe('deals and retired or corrected customers', () => {
  it('keeps existing deals as created, and refuses new deals naming a retired customer', async () => {
    const w = await dealWorld();
    const deal = await w.create(w.partner);
    await correctCustomer(w.deps, w.host, { id: w.customer.id, name: 'Tailspin Toys AG' });
    const kept = await w.create(w.partner);
    expect(kept.customer.name).toBe('Tailspin Toys AG');
    await retireCustomer(w.deps, w.host, { id: w.customer.id });

    expect((await w.deps.deals.get(w.partner.orgId, deal.id, w.partner.sub))?.deal.customer).toEqual(
      deal.customer,
    );
    await expect(w.create(w.partner)).rejects.toMatchObject({ code: 'unknown-customer' });
  });
});
