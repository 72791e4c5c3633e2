/** The deal's own registration: its status, what keeps it from being eligible, and the host's messages. */

import { REGISTRATION_STATUS_LABELS, UNMET_LABELS } from '../deals/labels.ts';
import type { Deal } from '../deals/queries.ts';
import { ReviewThread } from './Submissions.tsx';

export const RegistrationStatus = ({ deal }: { deal: Deal }) => {
  const { registration } = deal;
  if (!registration.eligible && registration.status === 'none' && deal.status !== 'won') return null;
  return (
    <section aria-labelledby="registration-heading">
      <h2 id="registration-heading">Registration</h2>
      <p>
        Registration status: <span className="status">{REGISTRATION_STATUS_LABELS[registration.status]}</span>
      </p>
      {registration.status === 'action-required' ? (
        <p className="hint">The host asked for action: answer its message and register again.</p>
      ) : null}
      {registration.unmet.length ? (
        <p>Not eligible yet: {registration.unmet.map((unmet) => UNMET_LABELS[unmet]).join('; ')}.</p>
      ) : null}
      <ReviewThread messages={registration.messages} label="Messages from the host" />
    </section>
  );
};
