/**
 * The client's check of a body says what the API says: the same paths and, for every rule the
 * schema leaves without its own message, the same sentence.
 */
import { describe, expect, it } from 'vitest';
import { issueSentence, zodFieldErrors } from '#functions/http/problem.ts';
import { CreateDealBody, InviteBody, type UpdateDealBody } from '#functions/http/schemas/deals/requests.ts';
import { validateBody } from '../../../client/validate.ts';

const apiErrors = (
  schema: typeof CreateDealBody | typeof UpdateDealBody | typeof InviteBody,
  body: unknown,
) => {
  const result = schema.safeParse(body, { error: issueSentence });
  return result.success ? [] : zodFieldErrors(result.error);
};

const person = { name: 'Ann Seller', email: 'ann@fabrikam.example', phone: '+49 30 1' };
const valid = {
  customer: { id: 'c1' },
  name: 'Tailspin data platform',
  location: 'DE',
  value: { amount: 250000, currency: 'EUR' },
  closeDate: '2027-03-31',
  team: [person],
  solutions: ['s1'],
};

const BODIES: Record<string, unknown> = {
  'an empty body': {},
  'no value': { ...valid, value: undefined },
  'a negative value': { ...valid, value: { amount: -1, currency: 'EUR' } },
  'a value as text': { ...valid, value: { amount: 'lots', currency: 'EUR' } },
  'an empty name': { ...valid, name: '' },
  'a long name': { ...valid, name: 'x'.repeat(201) },
  'a close date that is no date': { ...valid, closeDate: '31.03.2027' },
  'a team member without email': { ...valid, team: [{ ...person, email: '' }] },
  'a contact without name': { ...valid, customer: { id: 'c1', contact: { ...person, name: '' } } },
};

describe.each(Object.entries(BODIES))('%s', (_name, body) => {
  it('gets the API’s paths and sentences from the client’s check', () => {
    const api = apiErrors(CreateDealBody, body);
    const client = validateBody('CreateDealBody', body);
    expect(client.map((error) => error.path).sort()).toEqual(api.map((error) => error.path).sort());
    for (const error of client) {
      const same = api.find((candidate) => candidate.path === error.path);
      // A schema's own message (a team's minimum, a pattern's hint) is the API's alone.
      if (same && !/^(Use|Name|No )/.test(same.message)) expect(error.message).toBe(same.message);
      expect(error.message).toMatch(/^[A-Z].*\.$/);
    }
  });
});

describe('validation messages', () => {
  it("asks for the deal's estimated value in a sentence, at `value`", () => {
    expect(apiErrors(CreateDealBody, { ...valid, value: undefined })).toEqual([
      { path: 'value', message: "Enter the deal's estimated value." },
    ]);
  });

  it('never shows the schema library’s wording', () => {
    for (const body of Object.values(BODIES))
      for (const { message } of apiErrors(CreateDealBody, body))
        expect(message).not.toMatch(
          /expected (string|number|object|array)|received|Invalid|Too (small|big)|>=|<=/,
        );
  });

  it('checks only the fields of a step when asked', () => {
    expect(validateBody('CreateDealBody', {}, ['value', 'closeDate'])).toEqual([
      { path: 'value', message: "Enter the deal's estimated value." },
      { path: 'closeDate', message: 'Enter the expected close date.' },
    ]);
  });
});

const partner = {
  orgId: 'o1',
  helpType: 'technical',
  closeDate: '2027-03-31',
  value: { amount: 5000, currency: 'EUR' },
  notes: 'Their data team knows the customer.',
  team: [person],
  solutions: ['s1'],
};

const INVITES: Record<string, unknown> = {
  'a partner without help type': { partners: [{ ...partner, helpType: undefined }] },
  'a partner with an empty team': { partners: [{ ...partner, team: [] }] },
  'a partner without solutions': { partners: [{ ...partner, solutions: [] }] },
  'a partner value below zero': { partners: [{ ...partner, value: { amount: -5, currency: 'EUR' } }] },
  'a partner close date that is no date': { partners: [{ ...partner, closeDate: '31.03.2027' }] },
  'partner notes too long': { partners: [{ ...partner, notes: 'x'.repeat(4001) }] },
  'a partner team member without phone': { partners: [{ ...partner, team: [{ ...person, phone: '' }] }] },
  'host notes too long': { host: { helpType: 'general', notes: 'x'.repeat(4001) } },
};

describe.each(Object.entries(INVITES))('an invitation with %s', (_name, body) => {
  it('gets the API’s paths and sentences from the client’s check, naming the partner’s field', () => {
    const api = apiErrors(InviteBody, body);
    const client = validateBody('InviteBody', body);
    expect(client.length).toBeGreaterThan(0);
    // The API may break one field's two rules (a phone's length and its characters); the client names the first.
    const paths = (errors: { path: string }[]) => [...new Set(errors.map((error) => error.path))].sort();
    expect(paths(client)).toEqual(paths(api));
    for (const error of client) {
      const same = api.find((candidate) => candidate.path === error.path);
      if (same && !/^(Use|Name|No )/.test(same.message)) expect(error.message).toBe(same.message);
      expect(error.message).toMatch(/^[A-Z].*\.$/);
      expect(error.message).not.toContain("the deal's estimated value");
    }
  });
});

describe('invitation messages', () => {
  it("name the partner's value, not the deal's", () => {
    expect(validateBody('InviteBody', { partners: [{ ...partner, value: { currency: 'EUR' } }] })).toEqual([
      { path: 'partners.0.value.amount', message: "Enter the partner's value." },
    ]);
  });
});
