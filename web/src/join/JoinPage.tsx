/**
 * `/join`: the organizations that invited the signed-in person's address, each with a `Join` and a
 * `Decline` button. Signing in makes nobody a member: a person joins by choosing here (the
 * invitation email links to this page, and the console comes here while `GET /v1/me` answers
 * `not-a-member`).
 */
import { useQuery } from '@tanstack/react-query';
import { navigate, useTitle } from '../common/router.tsx';
import { Loading } from '../common/ui/Loading.tsx';
import { ProblemMessage } from '../common/ui/ProblemMessage.tsx';
import { useMe } from '../session/queries.ts';
import { joinQueries, useAcceptInvitation, useDeclineInvitation } from './queries.ts';

const when = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

export const JoinPage = () => {
  useTitle('Join an organization');
  const me = useMe();
  const invitations = useQuery(joinQueries.invitations());
  const accept = useAcceptInvitation();
  const decline = useDeclineInvitation();
  const items = invitations.data?.items ?? [];
  const member = me.data;
  return (
    <main id="main">
      <h1>Join an organization</h1>
      {member ? (
        <p>
          You are a member of {member.org.name}. A person belongs to one organization, so you can only decline
          other invitations.
        </p>
      ) : (
        <p>Choose the organization you work for. Nobody adds you to one without your say.</p>
      )}
      <ProblemMessage error={invitations.error ?? accept.error ?? decline.error} />
      {invitations.isPending ? (
        <Loading what="invitations" />
      ) : items.length === 0 ? (
        <p>
          There are no open invitations for your email address. Ask an administrator of your organization to
          invite the address you signed in with.
        </p>
      ) : (
        <ul className="plain" aria-label="Invitations">
          {items.map((invitation) => (
            <li key={invitation.orgId} className="card">
              <h2>{invitation.orgName}</h2>
              <p>
                Invited {when(invitation.invitedAt)} as {invitation.roles.join(', ')}.
              </p>
              {member ? null : (
                <button
                  type="button"
                  className="primary"
                  disabled={accept.isPending}
                  onClick={() =>
                    accept.mutate(invitation.orgId, {
                      onSuccess: () => navigate('/deals?view=inbound'),
                    })
                  }
                >
                  Join {invitation.orgName}
                </button>
              )}{' '}
              <button
                type="button"
                disabled={decline.isPending}
                onClick={() => decline.mutate(invitation.orgId)}
              >
                Decline {invitation.orgName}
              </button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
};
