/** The wizard's first step: the country, the customer found by name (with D-U-N-S), its contact and consent. */
import type { Schemas } from '@co-sell/client';
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { CountryOptions } from '../../common/fields/CountrySelect.tsx';
import { type Person, PersonFields } from '../../common/fields/PersonFields.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { directoryQueries } from '../../directory/queries.ts';

type Customer = Schemas['CustomerView'];

export type CustomerDraft = {
  country: string;
  customer: Customer | null;
  contact: Person;
  consent: boolean;
};

/** The body's `customer` and `location`; the contact is sent when any of it is given. */
export const customerBodyOf = ({ country, customer, contact, consent }: CustomerDraft) => ({
  customer: {
    id: customer?.id ?? '',
    ...(contact.name || contact.email || contact.phone ? { contact } : {}),
    consentToShareWithHost: consent,
  },
  location: country,
});

const CustomerSearch = ({
  draft,
  onChange,
  error,
}: {
  draft: CustomerDraft;
  onChange: (draft: CustomerDraft) => void;
  error: unknown;
}) => {
  const [q, setQ] = useState('');
  const prefix = useDeferredValue(q.trim());
  const { country, customer } = draft;
  const suggestions = useQuery({
    ...directoryQueries.customers(country, prefix),
    enabled: country.length === 2 && prefix.length > 0 && !customer,
  });
  if (customer)
    return (
      <p className="picked">
        Customer: <strong>{customer.name}</strong>, {customer.address}
        {customer.duns ? ` · D-U-N-S ${customer.duns}` : ''}{' '}
        <button type="button" onClick={() => onChange({ ...draft, customer: null })}>
          Change customer
        </button>
      </p>
    );
  return (
    <>
      <Field label="Customer" hint="Start typing the customer's name." error={error} path="customer.id">
        {(props) => <input {...props} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
      </Field>
      {suggestions.data?.items.length ? (
        <ul className="suggestions" aria-label="Matching customers">
          {suggestions.data.items.map((entry) => (
            <li key={entry.id}>
              <button type="button" onClick={() => onChange({ ...draft, customer: entry })}>
                {entry.name}
              </button>
              <small>
                {' '}
                {entry.address}
                {entry.duns ? ` · D-U-N-S ${entry.duns}` : ''}
              </small>
            </li>
          ))}
        </ul>
      ) : prefix && suggestions.isSuccess ? (
        <p>
          No customer in {country} starts with “{prefix}”.
        </p>
      ) : null}
    </>
  );
};

export const CustomerStep = ({
  draft,
  onChange,
  error,
  locations,
}: {
  draft: CustomerDraft;
  onChange: (draft: CustomerDraft) => void;
  error: unknown;
  /** The person's own locations, offered first. */
  locations: readonly string[];
}) => (
  <>
    <Field label="Country" error={error} path="location" required>
      {(props) => (
        <select
          {...props}
          value={draft.country}
          // Customers are found per country: another country starts the search again.
          onChange={(e) => onChange({ ...draft, country: e.target.value, customer: null })}
        >
          <CountryOptions first={locations} />
        </select>
      )}
    </Field>
    <CustomerSearch draft={draft} onChange={onChange} error={error} />
    <fieldset>
      <legend>Customer contact</legend>
      <PersonFields
        who="Contact"
        person={draft.contact}
        onChange={(contact) => onChange({ ...draft, contact })}
        error={error}
        path="customer.contact"
      />
      <label className="choice">
        <input
          type="checkbox"
          checked={draft.consent}
          onChange={(e) => onChange({ ...draft, consent: e.target.checked })}
        />
        The customer consents to sharing their contact with the host
      </label>
    </fieldset>
  </>
);
