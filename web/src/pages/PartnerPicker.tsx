/** The ranked partner search (GET /v1/partners, best first) and the partners picked, each with its help type. */
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { api, type HelpType, type PartnerInvite, unwrap } from '../api.ts';
import { HELP_TYPES } from '../labels.ts';
import { errorsAt, Field, humanize } from '../ui.tsx';

type Picked = PartnerInvite & { name: string };

export const PartnerPicker = ({
  selected,
  onChange,
  exclude,
  error,
  path,
}: {
  selected: Picked[];
  onChange: (next: Picked[]) => void;
  exclude: ReadonlySet<string>;
  error?: unknown;
  path: string;
}) => {
  const [q, setQ] = useState('');
  const query = useDeferredValue(q.trim());
  const results = useQuery({
    queryKey: ['partners', query],
    queryFn: async () =>
      (await unwrap(api.GET('/v1/partners', { params: { query: { q: query, limit: 10 } } }))).data,
    enabled: query.length > 0,
  });
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
      {errorsAt(error, path).length ? <p className="field-error">{errorsAt(error, path).join(' ')}</p> : null}
    </fieldset>
  );
};

export const HelpTypeSelect = ({
  label,
  value,
  onChange,
  error,
  path,
  allowNone,
}: {
  label: string;
  value: HelpType | '';
  onChange: (value: HelpType | '') => void;
  error?: unknown;
  path: string;
  allowNone?: string;
}) => (
  <Field label={label} error={error} path={path}>
    {(props) => (
      <select {...props} value={value} onChange={(e) => onChange(e.target.value as HelpType | '')}>
        {allowNone ? <option value="">{allowNone}</option> : null}
        {HELP_TYPES.map((type) => (
          <option key={type} value={type}>
            {humanize(type)}
          </option>
        ))}
      </select>
    )}
  </Field>
);
