/**
 * The host's review of the registrations submitted on one of its deals: each submission's evidence
 * and files, the messages sent so far, and the decisions left (approve and reject ask to confirm,
 * since they close the partner's deal; action required sends a message the partner must answer).
 */
import type { Schemas } from '@co-sell/client';
import { useState } from 'react';
import { api } from '../common/api.ts';
import { Dialog } from '../common/ui/Dialog.tsx';
import { Field } from '../common/ui/Field.tsx';
import { formatTime } from '../common/ui/format.ts';
import { ProblemMessage } from '../common/ui/ProblemMessage.tsx';
import { toast } from '../common/ui/toast.ts';
import { REGISTRATION_STATUS_LABELS } from '../deals/labels.ts';
import type { Deal } from '../deals/queries.ts';
import { useDealChange } from '../deals/use-deal-change.ts';
import { ReviewThread, SubmissionEvidence } from './Submissions.tsx';

type Decision = Schemas['ReviewRegistrationBody']['decision'];
type Registration = Deal['registrations'][number];
const OPEN = new Set(['submitted', 'in-review', 'action-required']);

const DECISIONS: { decision: Decision; button: string; done: string }[] = [
  { decision: 'approved', button: 'Approve', done: 'approved' },
  { decision: 'in-review', button: 'Mark in review', done: 'marked in review' },
  { decision: 'action-required', button: 'Action required', done: 'sent back for action' },
  { decision: 'rejected', button: 'Reject', done: 'rejected' },
];
const FINAL = new Set<Decision>(['approved', 'rejected']);

const Decide = ({ deal, registration }: { deal: Deal; registration: Registration }) => {
  const [message, setMessage] = useState('');
  const [confirming, setConfirming] = useState<(typeof DECISIONS)[number] | null>(null);
  const review = useDealChange(deal.id, (body: Schemas['ReviewRegistrationBody'], headers) =>
    api.POST('/v1/deals/{id}/registration/review', { params: { path: { id: deal.id } }, body, headers }),
  );
  const decide = (entry: (typeof DECISIONS)[number]) =>
    review.mutate(
      {
        orgId: registration.orgId,
        decision: entry.decision,
        ...(message.trim() ? { message: message.trim() } : {}),
      },
      {
        onSuccess: () => {
          setMessage('');
          setConfirming(null);
          toast(`The registration of ${registration.orgName} was ${entry.done}.`);
        },
      },
    );
  const left = DECISIONS.filter((entry) => entry.decision !== registration.status);
  return (
    <>
      {registration.status === 'action-required' ? (
        <p className="hint">
          Waiting for {registration.orgName} to act on your message and submit again. You can still decide
          now.
        </p>
      ) : null}
      <Field
        label={`Message to ${registration.orgName}`}
        hint="Required when you ask for action; shown to the partner with your decision."
        error={review.error}
        path="message"
      >
        {(props) => <textarea {...props} value={message} onChange={(e) => setMessage(e.target.value)} />}
      </Field>
      <div className="actions">
        {left.map((entry) => (
          <button
            key={entry.decision}
            type="button"
            className={entry.decision === 'approved' ? 'primary' : ''}
            disabled={review.isPending}
            onClick={() => (FINAL.has(entry.decision) ? setConfirming(entry) : decide(entry))}
          >
            {entry.button}
          </button>
        ))}
      </div>
      {confirming ? null : <ProblemMessage error={review.error} shownPaths={['message']} />}
      {confirming ? (
        <Dialog
          title={`${confirming.button} the registration of ${registration.orgName}?`}
          open
          onClose={() => setConfirming(null)}
          confirm={confirming.button}
          busy={review.isPending}
          error={review.error}
          onSubmit={() => decide(confirming)}
        >
          <p>
            This completes the review: {registration.orgName}'s deal closes and the decision cannot be
            changed.
          </p>
          {message.trim() ? <p>Your message: “{message.trim()}”</p> : null}
        </Dialog>
      ) : null}
    </>
  );
};

const ReviewOne = ({ deal, registration }: { deal: Deal; registration: Registration }) => (
  <li className="card">
    <p>
      <strong>{registration.orgName}</strong> submitted {formatTime(registration.submittedAt)}:{' '}
      <span className="status">{REGISTRATION_STATUS_LABELS[registration.status]}</span>
    </p>
    <SubmissionEvidence
      dealId={deal.id}
      orgName={registration.orgName}
      submission={registration.submission}
    />
    <ReviewThread messages={registration.messages} label={`Messages to ${registration.orgName}`} />
    {OPEN.has(registration.status) && deal.actions.includes('review') ? (
      <Decide deal={deal} registration={registration} />
    ) : null}
  </li>
);

export const ReviewPanel = ({ deal, level = 2 }: { deal: Deal; level?: 2 | 3 }) => {
  const Heading = level === 2 ? 'h2' : 'h3';
  return deal.registrations.length ? (
    <section aria-labelledby={`review-${deal.id}`}>
      <Heading id={`review-${deal.id}`}>Registration submissions</Heading>
      <ul className="plain">
        {deal.registrations.map((registration) => (
          <ReviewOne key={registration.orgId} deal={deal} registration={registration} />
        ))}
      </ul>
    </section>
  ) : null;
};
