/** The inviting org takes back an invitation not yet answered: the invitee's deal becomes `withdrawn`. */

import { api } from '../common/api.ts';
import { Dialog } from '../common/ui/Dialog.tsx';
import { done } from '../common/ui/toast.ts';
import type { Deal, Participant } from '../deals/queries.ts';
import { useDealChange } from '../deals/use-deal-change.ts';

export const WithdrawDialog = ({
  deal,
  participant,
  onClose,
}: {
  deal: Deal;
  participant: Participant;
  onClose: () => void;
}) => {
  const withdraw = useDealChange(deal.id, (_input: undefined, headers) =>
    api.DELETE('/v1/deals/{id}/invitations/{orgId}', {
      params: { path: { id: deal.id, orgId: participant.orgId } },
      headers,
    }),
  );
  return (
    <Dialog
      title={`Withdraw the invitation of ${participant.orgName}`}
      open
      onClose={onClose}
      confirm="Withdraw"
      busy={withdraw.isPending}
      error={withdraw.error}
      onSubmit={() =>
        withdraw.mutate(undefined, { onSuccess: done(onClose, 'The invitation was withdrawn.') })
      }
    >
      <p>
        {participant.orgName} has not answered yet. Withdrawn, the invitation can no longer be accepted; you
        can invite {participant.orgName} again later.
      </p>
    </Dialog>
  );
};
