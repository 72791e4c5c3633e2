/** Accepting an invitation: the invitee's deal becomes `accepted`, with the deal fields as the person sets them. */
import type { Schemas } from '@co-sell/client';
import { api } from '../../common/api.ts';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { done } from '../../common/ui/toast.ts';
import { DealFields, useDealDraft } from '../fields/DealFields.tsx';
import { dealBodyOf, dealFieldPaths } from '../fields/deal-fields.ts';
import { useDealChange } from '../use-deal-change.ts';
import type { DealDialogProps } from './props.ts';

export const AcceptDialog = ({ deal, onClose }: DealDialogProps) => {
  const [draft, change] = useDealDraft(deal);
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
