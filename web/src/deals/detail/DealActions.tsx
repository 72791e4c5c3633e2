/**
 * The actions the deal's status allows, one button and one dialog each (the dialog's confirm
 * button repeats the action's name). The API stays the judge: a refusal shows in the dialog.
 */
import type { ComponentType } from 'react';
import { InviteDialog } from '../../invitations/InviteDialog.tsx';
import { RegisterDialog } from '../../registration/RegisterDialog.tsx';
import { AcceptDialog } from '../dialogs/AcceptDialog.tsx';
import { CloseDialog } from '../dialogs/CloseDialog.tsx';
import { DeclineDialog } from '../dialogs/DeclineDialog.tsx';
import { EditDialog } from '../dialogs/EditDialog.tsx';
import type { DealDialogProps } from '../dialogs/props.ts';
import { StageDialog } from '../dialogs/StageDialog.tsx';
import type { Deal } from '../queries.ts';

const ACTIONS = {
  accept: { button: 'Accept', Dialog: AcceptDialog },
  decline: { button: 'Decline', Dialog: DeclineDialog },
  edit: { button: 'Edit', Dialog: EditDialog },
  stage: { button: 'Change stage', Dialog: StageDialog },
  close: { button: 'Close deal', Dialog: CloseDialog },
  invite: { button: 'Invite', Dialog: InviteDialog },
  register: { button: 'Register now', Dialog: RegisterDialog },
} satisfies Record<string, { button: string; Dialog: ComponentType<DealDialogProps> }>;

export type DealAction = keyof typeof ACTIONS;

const actionsFor = (deal: Deal): DealAction[] => {
  if (deal.status === 'received') return ['accept', 'decline'];
  if (deal.status === 'accepted') return ['edit', 'stage', 'close', 'invite'];
  const canRegister =
    deal.registration.eligible &&
    (deal.registration.status === 'none' || deal.registration.status === 'action-required');
  return canRegister ? ['register'] : [];
};

export const DealActionButtons = ({ deal, onOpen }: { deal: Deal; onOpen: (action: DealAction) => void }) => (
  <div className="actions">
    {actionsFor(deal).map((action) => (
      <button
        key={action}
        type="button"
        className={action === 'accept' ? 'primary' : ''}
        onClick={() => onOpen(action)}
      >
        {ACTIONS[action].button}
      </button>
    ))}
  </div>
);

/** The open action's dialog, mounted when opened so its draft starts from the deal as it is now. */
export const DealActionDialog = ({
  deal,
  action,
  onClose,
}: {
  deal: Deal;
  action: DealAction;
  onClose: () => void;
}) => {
  const { Dialog } = ACTIONS[action];
  return <Dialog deal={deal} onClose={onClose} />;
};
