/** The host's review of the registrations submitted on one of its deals: approve, ask for action (with a message) or reject. */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { api } from '../common/api.ts';
import { Field } from '../common/ui/Field.tsx';
import { formatTime } from '../common/ui/format.ts';
import { ProblemMessage } from '../common/ui/ProblemMessage.tsx';
import type { Deal } from '../deals/queries.ts';
import { useDealChange } from '../deals/use-deal-change.ts';

type Decision = Schemas['ReviewRegistrationBody']['decision'];
const DECIDED = new Set(['approved', 'rejected']);

const ReviewOne = ({ deal, registration }: { deal: Deal; registration: Deal['registrations'][number] }) => {
  const [message, setMessage] = useState('');
  const review = useDealChange(deal.id, (body: Schemas['ReviewRegistrationBody'], headers) =>
    api.POST('/v1/deals/{id}/registration/review', { params: { path: { id: deal.id } }, body, headers }),
  );
  const decide = (decision: Decision) =>
    review.mutate(
      { orgId: registration.orgId, decision, ...(message.trim() ? { message: message.trim() } : {}) },
      { onSuccess: () => setMessage('') },
    );
  return (
    <li className="card">
      <p>
        <strong>{registration.orgName}</strong> submitted {formatTime(registration.submittedAt)}:{' '}
        <span className="status">{registration.status}</span>
      </p>
      {DECIDED.has(registration.status) || !deal.actions.includes('review') ? null : (
        <>
          <Field label={`Message to ${registration.orgName}`} error={review.error} path="message">
            {(props) => <textarea {...props} value={message} onChange={(e) => setMessage(e.target.value)} />}
          </Field>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={review.isPending}
              onClick={() => decide('approved')}
            >
              Approve
            </button>
            <button type="button" disabled={review.isPending} onClick={() => decide('action-required')}>
              Action required
            </button>
            <button type="button" disabled={review.isPending} onClick={() => decide('rejected')}>
              Reject
            </button>
          </div>
          <ProblemMessage error={review.error} shownPaths={['message']} />
        </>
      )}
    </li>
  );
};

export const ReviewPanel = ({ deal }: { deal: Deal }) =>
  deal.registrations.length ? (
    <section aria-labelledby={`review-${deal.id}`}>
      <h2 id={`review-${deal.id}`}>Registrations to review</h2>
      <ul className="plain">
        {deal.registrations.map((registration) => (
          <ReviewOne key={registration.orgId} deal={deal} registration={registration} />
        ))}
      </ul>
    </section>
  ) : null;
