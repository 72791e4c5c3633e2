import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES } from '#domain/directory/countries.ts';
import { createCustomer, findCustomers } from '#domain/directory/customers.ts';
import { ConflictError, ValidationError } from '#domain/errors.ts';
import { addMember } from '#test/support/members.ts';
import { world } from '../identity/world.ts';

const contoso = { name: 'Contoso GmbH', country: 'DE', address: 'Hauptstr. 1, Berlin' };

describe('createCustomer', () => {
  it('lets any member add a customer', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await addMember(w, admin, {
      sub: 'sam',
      email: 'sam@f.example',
      name: 'Sam',
      roles: ['referral-user'],
      locations: ['DE'],
    });
    const customer = await createCustomer(w, w.actor('sam'), { ...contoso, duns: '123456789' });
    expect(customer).toEqual({
      id: '01ID000000000002',
      ...contoso,
      duns: '123456789',
      createdAt: '2026-11-01T09:00:00.000Z',
    });
    expect(await w.customers.get(customer.id)).toEqual(customer);
  });

  it('refuses a second customer with the same D-U-N-S number (409 already-exists)', async () => {
    const w = world();
    const admin = await w.org('Fabrikam');
    await createCustomer(w, admin, { ...contoso, duns: '123456789' });
    const again = createCustomer(w, admin, { ...contoso, name: 'Other', duns: '123456789' });
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.toMatchObject({ code: 'already-exists' });
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
