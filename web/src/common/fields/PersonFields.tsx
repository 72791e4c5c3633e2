/** A person's name, email and phone (a team member, a customer contact); `path` is where the API names them. */
import type { Schemas } from '@co-sell/client';
import { Field } from '../ui/Field.tsx';

export type Person = Schemas['Person'];

export const NO_ONE: Person = { name: '', email: '', phone: '' };

export const PersonFields = ({
  who,
  person,
  onChange,
  error,
  path,
}: {
  /** Starts each label: `Contact` gives `Contact name`, `Contact email`, `Contact phone`. */
  who: string;
  person: Person;
  onChange: (person: Person) => void;
  error?: unknown;
  path: string;
}) => (
  <>
    <Field label={`${who} name`} error={error} path={`${path}.name`}>
      {(props) => (
        <input
          {...props}
          value={person.name}
          onChange={(e) => onChange({ ...person, name: e.target.value })}
        />
      )}
    </Field>
    <Field label={`${who} email`} error={error} path={`${path}.email`}>
      {(props) => (
        <input
          {...props}
          type="email"
          value={person.email}
          onChange={(e) => onChange({ ...person, email: e.target.value })}
        />
      )}
    </Field>
    <Field label={`${who} phone`} error={error} path={`${path}.phone`}>
      {(props) => (
        <input
          {...props}
          type="tel"
          value={person.phone}
          onChange={(e) => onChange({ ...person, phone: e.target.value })}
        />
      )}
    </Field>
  </>
);
