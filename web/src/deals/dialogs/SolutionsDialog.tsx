/** Changing the deal's solutions, picked from the same catalog as in the wizard. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../common/api.ts';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { Loading } from '../../common/ui/Loading.tsx';
import { done } from '../../common/ui/toast.ts';
import { directoryQueries } from '../../directory/queries.ts';
import { useDealChange } from '../use-deal-change.ts';
import { SolutionsStep } from '../wizard/SolutionsStep.tsx';
import type { DealDialogProps } from './props.ts';

export const SolutionsDialog = ({ deal, onClose }: DealDialogProps) => {
  const catalog = useQuery(directoryQueries.solutions());
  const [draft, setDraft] = useState({ ids: deal.solutions, assessmentLocation: '' });
  const edit = useDealChange(deal.id, (solutions: string[], headers) =>
    api.PATCH('/v1/deals/{id}', { params: { path: { id: deal.id } }, body: { solutions }, headers }),
  );
  return (
    <Dialog
      title="Edit the solutions"
      open
      onClose={onClose}
      confirm="Save solutions"
      busy={edit.isPending}
      error={edit.error}
      shownPaths={['solutions']}
      onSubmit={() => edit.mutate(draft.ids, { onSuccess: done(onClose, 'The solutions were saved.') })}
    >
      {catalog.data ? (
        <SolutionsStep
          // An assessment deal keeps one assessment type; any other deal takes no assessment.
          groups={deal.assessmentLocation ? 'assessments' : 'solutions'}
          catalog={catalog.data}
          draft={draft}
          onChange={setDraft}
          error={edit.error}
          fixedLocation
        />
      ) : (
        <Loading what="the solutions" />
      )}
    </Dialog>
  );
};
