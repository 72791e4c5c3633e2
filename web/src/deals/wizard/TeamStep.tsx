/** The wizard's team step: the deal's team fields, and the people the org put on deals lately, one click away. */
import { useQuery } from '@tanstack/react-query';
import { directoryQueries } from '../../directory/queries.ts';
import { type DealFieldChange, DealFields } from '../fields/DealFields.tsx';
import type { DealDraft } from '../fields/deal-fields.ts';

export const TeamStep = ({
  draft,
  onChange,
  error,
}: {
  draft: DealDraft;
  onChange: DealFieldChange;
  error: unknown;
}) => {
  const recent = useQuery(directoryQueries.recentContacts());
  const suggested = (recent.data?.items ?? []).filter(
    (person) => !draft.team.some((member) => member.email === person.email),
  );
  return (
    <>
      <DealFields step="team" draft={draft} onChange={onChange} error={error} />
      {recent.data?.items.length ? (
        <section aria-label="Recent contacts">
          <h3>Recent contacts</h3>
          <ul className="suggestions">
            {suggested.map((person) => (
              <li key={person.email}>
                <button type="button" onClick={() => onChange('team', [...draft.team, person])}>
                  Add {person.name}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
};
