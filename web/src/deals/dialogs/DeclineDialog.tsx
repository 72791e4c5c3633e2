/** Declining an invitation, with a reason from the API's list. */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { api } from '../../common/api.ts';
import { optionalText } from '../../common/fields/text.ts';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { done } from '../../common/ui/toast.ts';
import { DECLINE_REASONS, type DeclineReason } from '../labels.ts';
import { useDealChange } from '../use-deal-change.ts';
import type { DealDialogProps } from './props.ts';
import { ReasonAndNotes } from './ReasonAndNotes.tsx';

export const DeclineDialog = ({ deal, onClose }: DealDialogProps) => {
  const [reason, setReason] = useState<DeclineReason | ''>('');
  const [notes, setNotes] = useState('');
  const decline = useDealChange(deal.id, (body: Schemas['DeclineBody'], headers) =>
    api.POST('/v1/deals/{id}/decline', { params: { path: { id: deal.id } }, body, headers }),
  );
  return (
    <Dialog
      title="Decline the deal"
      open
      onClose={onClose}
      confirm="Decline"
      busy={decline.isPending}
      error={decline.error}
      shownPaths={['reason', 'notes']}
      onSubmit={() =>
        decline.mutate(
          { reason: reason as DeclineReason, ...(optionalText(notes) ? { notes: optionalText(notes) } : {}) },
          { onSuccess: done(onClose, 'You declined the invitation.') },
        )
      }
    >
      <p>
        Declining is final: {deal.invitation?.fromOrgName ?? 'the inviting org'} is told, with your reason.
      </p>
      <ReasonAndNotes
        reasons={DECLINE_REASONS}
        reason={reason}
        onReason={setReason}
        notes={notes}
        onNotes={setNotes}
        error={decline.error}
      />
    </Dialog>
  );
};
