/** The deal's own registration: its status, what keeps it from being eligible, and the host's messages. */

import { formatTime, humanize } from '../common/ui/format.ts';
import type { Deal } from '../deals/queries.ts';

export const RegistrationStatus = ({ deal }: { deal: Deal }) => {
  const { registration } = deal;
  if (!registration.eligible && registration.status === 'none' && deal.status !== 'won') return null;
  return (
    <section aria-labelledby="registration-heading">
      <h2 id="registration-heading">Registration</h2>
      <p>
        Registration status: <span className="status">{registration.status}</span>
      </p>
      {registration.unmet.length ? (
        <p>Not eligible yet: {registration.unmet.map(humanize).join(', ')}.</p>
      ) : null}
      {registration.messages.length ? (
        <ul>
          {registration.messages.map((message) => (
            <li key={message.at}>
              {formatTime(message.at)} · {humanize(message.decision)}: {message.text}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
};
