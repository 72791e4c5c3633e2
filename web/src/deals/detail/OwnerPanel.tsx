/**
 * Who answers for the deal, and, for whoever the deal offers `assign-owner` (the org's admins and
 * the owner), a picker of the members eligible to own it as the API lists them.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../common/api.ts';
import { Field } from '../../common/ui/Field.tsx';
import { ProblemMessage } from '../../common/ui/ProblemMessage.tsx';
import { toast } from '../../common/ui/toast.ts';
import { type Deal, dealQueries } from '../queries.ts';
import { useDealChange } from '../use-deal-change.ts';

/** The picker's value for "nobody owns it". */
const NOBODY = '';

const OwnerPicker = ({ deal }: { deal: Deal }) => {
  const candidates = useQuery(dealQueries.ownerCandidates(deal.id));
  const [chosen, setChosen] = useState(deal.owner?.email ?? NOBODY);
  const change = useDealChange(deal.id, (email: string, headers) =>
    email === NOBODY
      ? api.DELETE('/v1/deals/{id}/owner', { params: { path: { id: deal.id } }, headers })
      : api.PUT('/v1/deals/{id}/owner', { params: { path: { id: deal.id } }, body: { email }, headers }),
  );
  const options = candidates.data?.items ?? [];
  const current = deal.owner?.email ?? NOBODY;
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate(chosen, {
          onSuccess: () => toast(chosen === NOBODY ? 'The deal has no owner now.' : 'The owner was changed.'),
        });
      }}
    >
      <Field label="Owner" error={change.error} path="email">
        {(props) => (
          <select {...props} value={chosen} onChange={(event) => setChosen(event.target.value)}>
            <option value={NOBODY}>Nobody</option>
            {/* The current owner stays choosable while the list loads. */}
            {deal.owner && !options.some((option) => option.email === deal.owner?.email) ? (
              <option value={deal.owner.email}>{deal.owner.name}</option>
            ) : null}
            {options.map((option) => (
              <option key={option.email} value={option.email}>
                {option.name} ({option.email})
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" disabled={change.isPending || chosen === current}>
        Change owner
      </button>
      <ProblemMessage error={change.error ?? candidates.error} shownPaths={['email']} />
    </form>
  );
};

export const OwnerPanel = ({ deal }: { deal: Deal }) => (
  <section aria-labelledby="owner-heading">
    <h2 id="owner-heading">Owner</h2>
    <p>{deal.owner ? `${deal.owner.name} · ${deal.owner.email}` : 'Nobody owns this deal.'}</p>
    {deal.actions.includes('assign-owner') ? (
      <OwnerPicker key={deal.owner?.email ?? NOBODY} deal={deal} />
    ) : null}
  </section>
);
