/** Inviting the host and partners to an accepted deal: suggested partners first, one click each. */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { api } from '../common/api.ts';
import { Dialog } from '../common/ui/Dialog.tsx';
import { done } from '../common/ui/toast.ts';
import type { DealDialogProps } from '../deals/dialogs/props.ts';
import { useDealChange } from '../deals/use-deal-change.ts';
import { InviteFields, inviteBodyOf, NO_INVITATIONS } from './InviteFields.tsx';
import { PartnerSuggestions } from './PartnerSuggestions.tsx';

export const InviteDialog = ({ deal, onClose }: DealDialogProps) => {
  const [draft, setDraft] = useState(NO_INVITATIONS);
  const invite = useDealChange(deal.id, (body: Schemas['InviteBody'], headers) =>
    api.POST('/v1/deals/{id}/invitations', { params: { path: { id: deal.id } }, body, headers }),
  );
  return (
    <Dialog
      title="Invite to the deal"
      open
      onClose={onClose}
      confirm="Invite"
      busy={invite.isPending}
      error={invite.error}
      shownPaths={['host', 'partners']}
      onSubmit={() =>
        invite.mutate(inviteBodyOf(draft), { onSuccess: done(onClose, 'The invitations were sent.') })
      }
    >
      <PartnerSuggestions
        dealId={deal.id}
        exclude={new Set(draft.partners.map((partner) => partner.orgId))}
        busy={invite.isPending}
        onInvite={({ orgId, name }) =>
          invite.mutate(
            { partners: [{ orgId, helpType: 'general' }] },
            { onSuccess: done(onClose, `${name} was invited.`) },
          )
        }
      />
      <InviteFields
        draft={draft}
        onChange={setDraft}
        error={invite.error}
        hostInvited={deal.participants.some(
          (participant) =>
            participant.kind === 'host' && !['declined', 'expired', 'withdrawn'].includes(participant.status),
        )}
        hostNeedsContact={!deal.customer.contact}
        exclude={
          new Set([
            deal.orgId,
            ...deal.participants
              .filter((participant) => !['declined', 'expired', 'withdrawn'].includes(participant.status))
              .map((participant) => participant.orgId),
          ])
        }
      />
    </Dialog>
  );
};
