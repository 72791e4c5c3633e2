/** The ranked partner search (best first) and the partners picked, each with its invitation's fields. */
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { Field, FieldErrors } from '../common/ui/Field.tsx';
import { directoryQueries } from '../directory/queries.ts';
import { PartnerInviteFields } from './PartnerInviteFields.tsx';
import { type PartnerDefaults, type PickedPartner, pickedPartnerOf } from './partner-invite.ts';

export const PartnerPicker = ({
  selected,
  onChange,
  exclude,
  defaults,
  error,
  path,
  assessments,
}: {
  selected: PickedPartner[];
  onChange: (next: PickedPartner[]) => void;
  /** Orgs already on the deal (and the caller's own), which the search does not offer. */
  exclude: ReadonlySet<string>;
  /** What a picked partner's invitation starts from: the deal's values. */
  defaults: PartnerDefaults;
  error?: unknown;
  path: string;
  assessments?: boolean;
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
              <button type="button" onClick={() => onChange([...selected, pickedPartnerOf(partner)])}>
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
        <PartnerInviteFields
          key={partner.orgId}
          partner={partner}
          onChange={(changed) =>
            onChange(selected.map((entry) => (entry.orgId === partner.orgId ? changed : entry)))
          }
          onRemove={() => onChange(selected.filter((entry) => entry.orgId !== partner.orgId))}
          error={error}
          path={`${path}.${index}`}
          defaults={defaults}
          {...(assessments ? { assessments } : {})}
        />
      ))}
      {/* A message about the list as a whole; each partner's own sit at its fields. */}
      <FieldErrors error={error} path={path} exact />
    </fieldset>
  );
};
