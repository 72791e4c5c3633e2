/** A list of people with name, email and phone; `path` is the body field the API names in errors. */
import { FieldErrors } from '../ui/Field.tsx';
import { NO_ONE, type Person, PersonFields } from './PersonFields.tsx';

export const TeamEditor = ({
  legend,
  team,
  onChange,
  error,
  path,
}: {
  legend: string;
  team: Person[];
  onChange: (team: Person[]) => void;
  error?: unknown;
  path: string;
}) => (
  <fieldset>
    <legend>{legend}</legend>
    {team.map((person, index) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved
      <div className="row team-row" key={index}>
        <PersonFields
          who={`Member ${index + 1}`}
          person={person}
          onChange={(changed) => onChange(team.map((member, i) => (i === index ? changed : member)))}
          error={error}
          path={`${path}.${index}`}
        />
        <button type="button" onClick={() => onChange(team.filter((_, i) => i !== index))}>
          Remove member {index + 1}
        </button>
      </div>
    ))}
    <button type="button" onClick={() => onChange([...team, NO_ONE])}>
      Add team member
    </button>
    {/* A message about the team as a whole; a member's own messages sit at its fields. */}
    {team.length ? null : <FieldErrors error={error} path={path} />}
  </fieldset>
);
