/**
 * The org's members for its admins (`/org/users`): who is invited, active or has declined; invite
 * someone, change a member's roles and locations, remove someone.
 */
import type { Schemas } from '@co-sell/client';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { membersOf } from '../common/enums.ts';
import { useTitle } from '../common/router.tsx';
import { Field } from '../common/ui/Field.tsx';
import { Loading } from '../common/ui/Loading.tsx';
import { ProblemMessage } from '../common/ui/ProblemMessage.tsx';
import { EditMemberDialog, parseLocations } from './EditMemberDialog.tsx';
import { memberQueries, useInviteMember, useRemoveMember } from './queries.ts';

type Role = Schemas['Role'];
const ROLES = membersOf<Role>({ 'org-admin': true, 'referrals-admin': true, 'referral-user': true });

export const UsersPage = () => {
  useTitle('Users');
  const users = useQuery(memberQueries.list());
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('referral-user');
  const [locations, setLocations] = useState('');
  const [editing, setEditing] = useState<Schemas['MemberView']>();
  const invite = useInviteMember();
  const remove = useRemoveMember();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate(
      {
        email: email.trim(),
        name: name.trim(),
        roles: [role],
        locations: parseLocations(locations),
      },
      {
        onSuccess: () => {
          setEmail('');
          setName('');
          setLocations('');
        },
      },
    );
  };
  return (
    <main id="main">
      <h1>Users</h1>
      <ProblemMessage error={users.error ?? remove.error} />
      {users.isPending ? (
        <Loading what="users" />
      ) : (
        <table>
          <caption className="visually-hidden">Members of your organization</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Roles</th>
              <th scope="col">Locations</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(users.data?.items ?? []).map((user) => (
              <tr key={user.email}>
                <td data-label="Name">{user.name}</td>
                <td data-label="Email">{user.email}</td>
                <td data-label="Roles">{user.roles.join(', ')}</td>
                <td data-label="Locations">{user.locations.join(', ') || '—'}</td>
                <td data-label="Status">{user.status}</td>
                <td>
                  <button type="button" onClick={() => setEditing(user)}>
                    Edit {user.name}
                  </button>{' '}
                  <button type="button" onClick={() => remove.mutate(user.email)}>
                    Remove {user.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <EditMemberDialog member={editing} roles={ROLES} onClose={() => setEditing(undefined)} />
      ) : null}
      <form onSubmit={submit} className="card">
        <h2>Invite a member</h2>
        <div className="row">
          <Field label="Email" error={invite.error} path="email" required>
            {(props) => (
              <input {...props} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
            )}
          </Field>
          <Field label="Name" error={invite.error} path="name" required>
            {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
        </div>
        <div className="row">
          <Field label="Role" error={invite.error} path="roles">
            {(props) => (
              <select {...props} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {ROLES.map((value) => (
                  <option key={value}>{value}</option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Locations"
            hint="Country codes, comma-separated."
            error={invite.error}
            path="locations"
          >
            {(props) => <input {...props} value={locations} onChange={(e) => setLocations(e.target.value)} />}
          </Field>
        </div>
        <ProblemMessage error={invite.error} shownPaths={['email', 'name', 'roles', 'locations']} />
        <button type="submit" className="primary" disabled={invite.isPending}>
          Invite member
        </button>
      </form>
    </main>
  );
};
