/**
 * The deal's actions as the API offers them to the caller (`deal.actions`), one button and one
 * dialog each (the dialog's confirm button repeats the action's name). Withdraw, comment, review
 * and favorite live beside what they act on. The API stays the judge: a refusal shows in the dialog.
 */
import { type ComponentType, useEffect, useState } from 'react';
import { navigate, useLocation } from '../../common/router.tsx';
import { InviteDialog } from '../../invitations/InviteDialog.tsx';
import { RegisterDialog } from '../../registration/RegisterDialog.tsx';
import { AcceptDialog } from '../dialogs/AcceptDialog.tsx';
import { CloseDialog } from '../dialogs/CloseDialog.tsx';
import { DeclineDialog } from '../dialogs/DeclineDialog.tsx';
import { EditDialog } from '../dialogs/EditDialog.tsx';
import type { DealDialogProps } from '../dialogs/props.ts';
import { SolutionsDialog } from '../dialogs/SolutionsDialog.tsx';
import { StageDialog } from '../dialogs/StageDialog.tsx';
import type { Deal } from '../queries.ts';

type ApiAction = Deal['actions'][number];

/** Each button, the dialog it opens and the API action that offers it (its key, unless named). */
const ACTIONS = {
  accept: { button: 'Accept', Dialog: AcceptDialog },
  decline: { button: 'Decline', Dialog: DeclineDialog },
  edit: { button: 'Edit', Dialog: EditDialog },
  solutions: { button: 'Edit solutions', Dialog: SolutionsDialog, offeredBy: 'edit' },
  'change-stage': { button: 'Change stage', Dialog: StageDialog },
  close: { button: 'Close deal', Dialog: CloseDialog },
  invite: { button: 'Invite', Dialog: InviteDialog },
  register: { button: 'Register now', Dialog: RegisterDialog },
} satisfies Record<string, { button: string; Dialog: ComponentType<DealDialogProps>; offeredBy?: ApiAction }>;

export type DealAction = keyof typeof ACTIONS;

const offeredBy = (action: DealAction): string => {
  const entry = ACTIONS[action];
  return 'offeredBy' in entry ? entry.offeredBy : action;
};

/** The buttons the API's actions offer, in the table's order. */
const actionsFor = (deal: Deal): DealAction[] =>
  (Object.keys(ACTIONS) as DealAction[]).filter((action) =>
    (deal.actions as readonly string[]).includes(offeredBy(action)),
  );

const isDealAction = (value: string): value is DealAction => Object.hasOwn(ACTIONS, value);

/**
 * The open action's dialog, and the one a link names (`/deals/{id}?action=accept`, the invitation
 * email's link), opened on arrival when the deal offers it: from the email, accepting is one click.
 * The name leaves the address once read, so a reload or Back does not open it again.
 */
export const useDealAction = (deal: Deal | undefined) => {
  const location = useLocation();
  const [open, setOpen] = useState<DealAction | null>(null);
  const asked = location.query.get('action');
  useEffect(() => {
    if (!deal || asked === null) return;
    navigate(location.path, { replace: true });
    if (isDealAction(asked) && actionsFor(deal).includes(asked)) setOpen(asked);
  }, [deal, asked, location.path]);
  return [open, setOpen] as const;
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
