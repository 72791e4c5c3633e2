/** The ranked partner search (best first) and the partners picked, each with its help type. */
import type { Schemas } from '@co-sell/client';
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { Field, FieldErrors } from '../common/ui/Field.tsx';
import { directoryQueries } from '../directory/queries.ts';
import { HelpTypeSelect } from './HelpTypeSelect.tsx';

type PartnerInvite = NonNullable<Schemas['InviteBody']['partners']>[number];
/** A partner to invite, with its name to show until the invitation is sent. */
export type PickedPartner = PartnerInvite & { name: string };

export const PartnerPicker = ({
  selected,
  onChange,
  exclude,
  error,
  path,
}: {
  selected: PickedPartner[];
  onChange: (next: PickedPartner[]) => void;
  /** Orgs already on the deal (and the caller's own), which the search does not offer. */
  exclude: ReadonlySet<string>;
  error?: unknown;
  path: string;
}) => {
  const [q, setQ] = useState('');
  const query = useDeferredValue(q.trim());
  const results = useQuery({ ...directoryQueries.partners(query), enabled: query.length > 0 });
  const picked = new Set(selected.map((partner) => partner.orgId));
  const offers = (results.data?.items ?? []).filter(
    (partner) => !exclude.has(partner.id) && !picked.has(partner.id),
  );
  return (
    <fieldset>
      <legend>Partners</legend>
      <Field label="Partner search" hint="Best match and most responsive first.">
        {(props) => <input {...props} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
      </Field>
      {offers.length ? (
        <ul className="suggestions" aria-label="Matching partners">
          {offers.map((partner) => (
            <li key={partner.id}>
              <button
                type="button"
                onClick={() =>
                  onChange([...selected, { orgId: partner.id, name: partner.name, helpType: 'general' }])
                }
              >
                Add {partner.name}
              </button>
              <small>
                {partner.responsiveness.medianResponseHours === null
                  ? ' no answers yet'
                  : ` answers in ${Math.round(partner.responsiveness.medianResponseHours)} h`}
                {partner.capabilities.length ? ` · ${partner.capabilities.join(', ')}` : ''}
              </small>
            </li>
          ))}
        </ul>
      ) : null}
      {selected.map((partner, index) => (
        <div className="row picked" key={partner.orgId}>
          <strong>{partner.name}</strong>
          <HelpTypeSelect
            label={`Help type for ${partner.name}`}
            value={partner.helpType}
            onChange={(helpType) =>
              onChange(
                selected.map((entry) =>
                  entry.orgId === partner.orgId ? { ...entry, helpType: helpType || 'none' } : entry,
                ),
              )
            }
            error={error}
            path={`${path}.${index}.helpType`}
          />
          <button
            type="button"
            onClick={() => onChange(selected.filter((entry) => entry.orgId !== partner.orgId))}
          >
            Remove {partner.name}
          </button>
        </div>
      ))}
      <FieldErrors error={error} path={path} />
    </fieldset>
  );
};
