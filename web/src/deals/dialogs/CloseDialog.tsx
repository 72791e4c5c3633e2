/**
 * Closing the deal as won, or as lost with a reason from the API's list: the outcomes the deal's
 * `stageChoices` offer (a solution assessment is won only once every stage is marked).
 */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { api } from '../../common/api.ts';
import { optionalText } from '../../common/fields/text.ts';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { done } from '../../common/ui/toast.ts';
import { LOST_REASONS, type LostReason } from '../labels.ts';
import { useDealChange } from '../use-deal-change.ts';
import type { DealDialogProps } from './props.ts';
import { ReasonAndNotes } from './ReasonAndNotes.tsx';

export const CloseDialog = ({ deal, onClose }: DealDialogProps) => {
  const { outcomes, sequence } = deal.stageChoices;
  const [outcome, setOutcome] = useState<'won' | 'lost'>(outcomes[0] ?? 'lost');
  const [reason, setReason] = useState<LostReason | ''>('');
  const [notes, setNotes] = useState('');
  const close = useDealChange(deal.id, (body: Schemas['CloseDealBody'], headers) =>
    api.POST('/v1/deals/{id}/close', { params: { path: { id: deal.id } }, body, headers }),
  );
  return (
    <Dialog
      title="Close the deal"
      open
      onClose={onClose}
      confirm="Close deal"
      busy={close.isPending}
      error={close.error}
      shownPaths={['outcome', 'reason', 'notes']}
      onSubmit={() =>
        close.mutate(
          outcome === 'won'
            ? { outcome: 'won' }
            : {
                outcome: 'lost',
                reason: reason as LostReason,
                ...(optionalText(notes) ? { notes: optionalText(notes) } : {}),
              },
          { onSuccess: done(onClose, 'The deal was closed.') },
        )
      }
    >
      <p>
        Closing is final: the deal takes no more changes
        {deal.participants.some((participant) => participant.actions.includes('withdraw'))
          ? ', and the invitations it sent that nobody answered yet are withdrawn'
          : ''}
        .
      </p>
      <fieldset>
        <legend>Outcome</legend>
        {outcomes.map((value) => (
          <label className="choice" key={value}>
            <input
              type="radio"
              name="outcome"
              checked={outcome === value}
              onChange={() => setOutcome(value)}
            />
            {value === 'won' ? 'Won' : 'Lost'}
          </label>
        ))}
      </fieldset>
      {sequence && !outcomes.includes('won') ? (
        <p className="hint">A solution assessment can be won once every stage up to negotiated is marked.</p>
      ) : null}
      {outcome === 'lost' ? (
        <ReasonAndNotes
          reasons={LOST_REASONS}
          reason={reason}
          onReason={setReason}
          notes={notes}
          onNotes={setNotes}
          error={close.error}
        />
      ) : null}
    </Dialog>
  );
};
