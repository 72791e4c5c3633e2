/**
 * Inviting the host and partners to an accepted deal: suggested partners first, one click each. Before sending, the body is checked against
 * the API's own schema of it, so each wrong field says so at its control in the API's words.
 */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { type ApiProblem, api, checkBody } from '../common/api.ts';
import { moneyDraftOf } from '../common/fields/money.ts';
import { Dialog } from '../common/ui/Dialog.tsx';
import { done } from '../common/ui/toast.ts';
import type { DealDialogProps } from '../deals/dialogs/props.ts';
import { useDealChange } from '../deals/use-deal-change.ts';
import { InviteFields, inviteBodyOf, NO_INVITATIONS } from './InviteFields.tsx';
import { PartnerSuggestions } from './PartnerSuggestions.tsx';

const GONE = ['declined', 'expired', 'withdrawn'];

export const InviteDialog = ({ deal, onClose }: DealDialogProps) => {
  const [draft, setDraft] = useState(NO_INVITATIONS);
  const [checked, setChecked] = useState<ApiProblem | null>(null);
  const invite = useDealChange(deal.id, (body: Schemas['InviteBody'], headers) =>
    api.POST('/v1/deals/{id}/invitations', { params: { path: { id: deal.id } }, body, headers }),
  );
  const error = checked ?? invite.error;
  return (
    <Dialog
      title="Invite to the deal"
      open
      onClose={onClose}
      confirm="Invite"
      busy={invite.isPending}
      error={error}
      shownPaths={['host', 'partners']}
      onSubmit={() => {
        const body = inviteBodyOf(draft);
        const problem = checkBody('InviteBody', body);
        setChecked(problem);
        if (problem) return;
        invite.mutate(body, { onSuccess: done(onClose, 'The invitations were sent.') });
      }}
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
        error={error}
        hostInvited={deal.participants.some(
          (participant) => participant.kind === 'host' && !GONE.includes(participant.status),
        )}
        hostNeedsContact={!deal.customer.contact}
        exclude={
          new Set([
            deal.orgId,
            ...deal.participants
              .filter((participant) => !GONE.includes(participant.status))
              .map((participant) => participant.orgId),
          ])
        }
        defaults={{
          closeDate: deal.closeDate,
          value: moneyDraftOf(deal.value),
          team: deal.team,
          solutions: deal.solutions,
        }}
        assessments={deal.assessmentLocation !== null}
      />
    </Dialog>
  );
};
