/** Editing the deal's fields; a field emptied here is cleared on the deal. */
import type { Schemas } from '@co-sell/client';
import { api } from '../../common/api.ts';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { DealFields, useDealDraft } from '../fields/DealFields.tsx';
import { dealBodyOf, dealFieldPaths } from '../fields/deal-fields.ts';
import { useDealChange } from '../use-deal-change.ts';
import type { DealDialogProps } from './props.ts';

export const EditDialog = ({ deal, onClose }: DealDialogProps) => {
  const [draft, change] = useDealDraft(deal);
  const edit = useDealChange(deal.id, (body: Schemas['UpdateDealBody'], headers) =>
    api.PATCH('/v1/deals/{id}', { params: { path: { id: deal.id } }, body, headers }),
  );
  return (
    <Dialog
      title="Edit the deal"
      open
      onClose={onClose}
      confirm="Save"
      busy={edit.isPending}
      error={edit.error}
      shownPaths={dealFieldPaths()}
      onSubmit={() => edit.mutate(dealBodyOf(draft, 'update'), { onSuccess: onClose })}
    >
      <DealFields draft={draft} onChange={change} error={edit.error} />
    </Dialog>
  );
};
