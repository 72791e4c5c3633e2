/**
 * Accepting an invitation: the invitee's deal becomes `accepted`, with the deal fields as the person
 * sets them. A member who sees only the deals they are on starts with themselves on the team (their
 * phone still to add), since the API keeps them on it.
 */
import type { Schemas } from '@co-sell/client';
import { useEffect } from 'react';
import { api } from '../../common/api.ts';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { done } from '../../common/ui/toast.ts';
import { useMe } from '../../session/queries.ts';
import { DealFields, useDealDraft } from '../fields/DealFields.tsx';
import { dealBodyOf, dealFieldPaths } from '../fields/deal-fields.ts';
import { useDealChange } from '../use-deal-change.ts';
import type { DealDialogProps } from './props.ts';

export const AcceptDialog = ({ deal, onClose }: DealDialogProps) => {
  const [draft, change] = useDealDraft(deal);
  const me = useMe().data;
  const scoped =
    me !== undefined && !me.roles.some((role) => role === 'org-admin' || role === 'referrals-admin');
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when who is signed in is known
  useEffect(() => {
    if (me && scoped && draft.team.length === 0)
      change('team', [{ name: me.user.name, email: me.user.email, phone: '' }]);
  }, [me]);
  const accept = useDealChange(deal.id, (body: Schemas['AcceptBody'], headers) =>
    api.POST('/v1/deals/{id}/accept', { params: { path: { id: deal.id } }, body, headers }),
  );
  return (
    <Dialog
      title="Accept the deal"
      open
      onClose={onClose}
      confirm="Accept"
      busy={accept.isPending}
      error={accept.error}
      shownPaths={dealFieldPaths()}
      onSubmit={() =>
        accept.mutate(dealBodyOf(draft, 'accept'), {
          onSuccess: done(onClose, 'You accepted the invitation.'),
        })
      }
    >
      <DealFields draft={draft} onChange={change} error={accept.error} />
    </Dialog>
  );
};
