/** Changes a member's roles and locations (`PATCH /v1/org/users/{email}`). */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { Dialog } from '../common/ui/Dialog.tsx';
import { Field } from '../common/ui/Field.tsx';
import { useUpdateMember } from './queries.ts';

type Role = Schemas['Role'];
type Member = Schemas['MemberView'];

/** Country codes as a person types them: comma-separated, any case. */
export const parseLocations = (text: string): string[] =>
  text
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);

export const EditMemberDialog = ({
  member,
  roles,
  onClose,
}: {
  member: Member;
  roles: readonly Role[];
  onClose: () => void;
}) => {
  const update = useUpdateMember();
  const [chosen, setChosen] = useState<Role[]>(member.roles);
  const [locations, setLocations] = useState(member.locations.join(', '));
  const toggle = (role: Role, on: boolean) =>
    setChosen((current) => (on ? [...current, role] : current.filter((held) => held !== role)));
  return (
    <Dialog
      title={`Edit ${member.name}`}
      open
      onClose={onClose}
      confirm={`Save ${member.name}`}
      busy={update.isPending}
      error={update.error}
      shownPaths={['roles', 'locations']}
      onSubmit={() =>
        update.mutate(
          { email: member.email, body: { roles: chosen, locations: parseLocations(locations) } },
          { onSuccess: onClose },
        )
      }
    >
      <fieldset>
        <legend>Roles</legend>
        {roles.map((role) => (
          <div key={role}>
            <label>
              <input
                type="checkbox"
                checked={chosen.includes(role)}
                onChange={(event) => toggle(role, event.target.checked)}
              />{' '}
              {role}
            </label>
          </div>
        ))}
      </fieldset>
      <Field label="Locations" hint="Country codes, comma-separated." error={update.error} path="locations">
        {(props) => <input {...props} value={locations} onChange={(e) => setLocations(e.target.value)} />}
      </Field>
    </Dialog>
  );
};
